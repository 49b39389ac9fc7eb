/** What the exporters take and give back: a document in, files out (plus warnings). */
import type { Warning } from '../engine/types.ts';

export type ExportFormat = 'k8s' | 'helm' | 'compose';
export type Cloud = 'aws' | 'gcp';

export interface ExportOptions {
  format?: ExportFormat;
  /** Kubernetes namespace (default `default`); must already be a valid namespace name. */
  namespace?: string;
  /** Prepended to the bundle's name where a bundle has no `image` (e.g. `ghcr.io/acme/`). */
  imagePrefix?: string;
  /**
   * With `aws` or `gcp`, a bundle spread evenly over its zones becomes one Deployment with
   * topology spread constraints and `MICROBUS_LOCALITY=AWS|GCP` (Microbus asks the cloud).
   */
  cloud?: Cloud;
  /** Microbus's plane of communication (alphanumeric; default `microbus`, Microbus's own default). */
  plane?: string;
  /** Open a WebSocket listener on the NATS servers (for browsers, e.g. Busboard's live view). */
  websocket?: boolean;
}

export interface ExportFile {
  /** Relative path with `/` separators, e.g. `bundles/shop.yaml`. */
  path: string;
  content: string;
  /** `yaml` files make up the multi-document stream; `text` ones (README, nats.conf) do not. */
  type: 'yaml' | 'text';
}

export interface ExportProblem {
  /** Where: a file and object (`bundles/shop.yaml: Deployment shop-us-east-1a`) or an option. */
  path: string;
  message: string;
}

export type ExportResult = { ok: true; format: ExportFormat; files: ExportFile[]; warnings: Warning[] } | { ok: false; problems: ExportProblem[] };

/** A Kubernetes object as plain data, with the comments written above it and inside it. */
export interface Manifest {
  object: KubeObject;
  /** Written above the object (one line per entry). */
  comment?: string[];
  /** Comments placed above a field, by its path in the object. */
  notes?: { at: (string | number)[]; text: string }[];
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}
