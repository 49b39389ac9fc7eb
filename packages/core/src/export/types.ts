/** What the exporters take and give back: a document in, files out (plus warnings). */
import type { Warning } from '../engine/types.ts';

export type ExportFormat = 'k8s' | 'helm' | 'compose';
export type Cloud = 'aws' | 'gcp';
/**
 * `quick-start`: runs as soon as it is applied (plain NATS, no secrets to create first).
 * `production`: NATS with TLS everywhere and accounts (clients identified by their
 * certificates, read from Secrets the team creates), the ingress bundle exposed through an
 * Ingress, and every image pinned to a tag or digest.
 */
export type ExportProfile = 'quick-start' | 'production';
/**
 * Which Microbus the images run: `newest` writes localities broadest part first with
 * hyphens (`us-east-1-a`); `v1` (Microbus v1.x) writes them dotted, most specific part
 * first (`a.1.east.us`). A replica given the other form never matches its neighbours.
 */
export type MicrobusVersion = 'newest' | 'v1';

export interface ExportOptions {
  format?: ExportFormat;
  profile?: ExportProfile;
  microbus?: MicrobusVersion;
  /** Kubernetes namespace (default `default`); must already be a valid namespace name. */
  namespace?: string;
  /** Prepended to the bundle's name where a bundle has no `image` (e.g. `ghcr.io/acme/`). */
  imagePrefix?: string;
  /** The tag given to images made from the prefix (`ghcr.io/acme/shop:<tag>`). */
  imageTag?: string;
  /**
   * With `aws` or `gcp`, a bundle spread evenly over its zones becomes one Deployment with
   * topology spread constraints and `MICROBUS_LOCALITY=AWS|GCP` (Microbus asks the cloud).
   */
  cloud?: Cloud;
  /** Microbus's plane of communication (alphanumeric; default `microbus`, Microbus's own default). */
  plane?: string;
  /** Open a WebSocket listener on the NATS servers (for browsers, e.g. Busboard's live view). */
  websocket?: boolean;
  /**
   * `false`: no HorizontalPodAutoscaler; each Deployment sets `spec.replicas` to the design's
   * count instead (an HPA and `spec.replicas` never appear together). Default true.
   */
  autoscaler?: boolean;
  /**
   * `autoscalePolicies[].name`: export that policy's autoscalers (the bundles it does not name
   * keep their own), exactly as `busboard timeline --policy NAME` simulates them. Absent: the
   * bundles' own `autoscale`.
   */
  policy?: string;
  /** Production: the host name the Ingress answers for (required there). */
  ingressHost?: string;
  /** Production: the Ingress's `ingressClassName` (default: the cluster's default class). */
  ingressClass?: string;
  /**
   * Production: the image's working directory (its Dockerfile's WORKDIR), where Microbus
   * looks for `ca.pem`, `cert.pem` and `key.pem`. Default `/app`.
   */
  workingDir?: string;
}

export interface ExportFile {
  /** Relative path with `/` separators, e.g. `bundles/shop.yaml`. */
  path: string;
  content: string;
  /**
   * `yaml`: Kubernetes objects, part of the multi-document stream `kubectl apply -f -` reads;
   * `values`: a YAML file for a tool (Helm chart values), never in that stream;
   * `json`: a JetStream stream or consumer, as `nats stream add --config` and `nats consumer add --config` read it;
   * `text`: README and the like.
   */
  type: 'yaml' | 'values' | 'json' | 'text';
}

export interface ExportProblem {
  /** Where: a file and object (`bundles/shop.yaml: Deployment shop-us-east-1a`) or an option. */
  path: string;
  message: string;
  /** True for an object Kubernetes would refuse: Busboard's bug, not something the user can fix. */
  internal?: boolean;
}

export type ExportResult =
  | {
      ok: true;
      format: ExportFormat;
      files: ExportFile[];
      /** The design's warnings: the same list as the designer's Results and `busboard check` (`designWarnings`). */
      designWarnings: Warning[];
      /** What the export itself notes (images, zone labels, gateways). */
      warnings: Warning[];
    }
  | { ok: false; problems: ExportProblem[] };

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
