/**
 * The export dialog: choose a format and options, preview every file the export makes
 * (with the warnings it raised), download them as a .zip. Loaded on demand: it brings the
 * Kubernetes schemas the rest of the app never needs.
 */

import type { Topology, Warning } from '@busboard/core';
import { type ExportFile, type ExportOptions, exportDesign, sanitize, zip } from '@busboard/core/export';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import './export-dialog.css';
import { warningTitle } from '@busboard/core';
import { downloadBlob } from '../lib/download.ts';
import { describePath } from '../lib/paths.ts';
import { DEFAULT_CHOICES, type ExportChoices, ExportOptionsForm } from './ExportOptionsForm.tsx';
import { YamlPreview } from './YamlPreview.tsx';

export interface ExportDialogProps {
  doc: Topology;
  name: string;
  onClose: () => void;
}

export default function ExportDialog({ doc, name, onClose }: ExportDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [choices, setChoices] = useState<ExportChoices>(DEFAULT_CHOICES);
  const [selected, setSelected] = useState(0);
  const [copied, setCopied] = useState(false);

  // Unmounting removes the dialog from the page, which ends its modal state: no close() in a
  // cleanup (under StrictMode that would fire `close` and shut the dialog as it opens).
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);

  const format = choices.format;
  const result = useMemo(() => exportDesign(doc, toOptions(choices)), [doc, choices]);
  const files = result.ok ? result.files : [];
  const file = files[Math.min(selected, files.length - 1)];
  const slug = sanitize(name) || 'design';

  const download = () => {
    if (!result.ok) return;
    const now = new Date();
    const bytes = zip(
      files.map((f) => ({ path: `${slug}-${format}/${f.path}`, content: f.content })),
      {
        year: now.getFullYear(),
        month: now.getMonth() + 1,
        day: now.getDate(),
        hours: now.getHours(),
        minutes: now.getMinutes(),
        seconds: now.getSeconds(),
      },
    );
    downloadBlob(`${slug}-${format}.zip`, new Blob([bytes as BlobPart], { type: 'application/zip' }));
  };

  const copy = async () => {
    if (!file) return;
    try {
      await navigator.clipboard.writeText(file.content);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      setCopied(false);
    }
  };

  const onListKey = (e: React.KeyboardEvent) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const next = Math.max(0, Math.min(files.length - 1, selected + (e.key === 'ArrowDown' ? 1 : -1)));
    setSelected(next);
    (e.currentTarget.querySelectorAll('button')[next] as HTMLButtonElement | undefined)?.focus();
  };

  return (
    <dialog ref={dialog} className="export-dialog" aria-labelledby={titleId} onClose={onClose}>
      <header className="export-head">
        <h2 id={titleId}>Export {name}</h2>
        <button type="button" className="export-close" onClick={onClose} aria-label="Close">
          ×
        </button>
      </header>

      <ExportOptionsForm
        choices={choices}
        policies={(doc.autoscalePolicies ?? []).map((p) => p.name)}
        onChange={(patch) => {
          if (patch.format !== undefined && patch.format !== choices.format) setSelected(0);
          setChoices((c) => ({ ...c, ...patch }));
        }}
      />

      {!result.ok ? (
        <ul className="export-problems" data-testid="export-problems">
          {result.problems.map((p) => (
            <li key={`${p.path}:${p.message}`}>
              <code>{p.path}</code> {p.message}
            </li>
          ))}
        </ul>
      ) : (
        <>
          <WarningList
            testId="export-design-warnings"
            doc={doc}
            warnings={result.designWarnings}
            label={(n) => `${n} design warning${n === 1 ? '' : 's'} (as in Results)`}
            open
          />
          <WarningList testId="export-warnings" doc={doc} warnings={result.warnings} label={(n) => `${n} export note${n === 1 ? '' : 's'}`} />
        </>
      )}

      <div className="export-body">
        <nav className="export-files" aria-label="Files" data-testid="export-files" onKeyDown={onListKey}>
          {files.map((f, i) => (
            <button
              type="button"
              aria-current={f === file ? 'true' : undefined}
              key={f.path}
              className={f === file ? 'selected' : ''}
              onClick={() => setSelected(i)}
            >
              <span className="export-file-path">{f.path}</span>
              <span className="export-file-summary">{summarize(f.content, f.type)}</span>
            </button>
          ))}
        </nav>
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the preview scrolls; keyboard users must be able to focus it to scroll (axe: scrollable-region-focusable) */}
        <section className="export-preview" tabIndex={0} aria-label={file ? `Preview of ${file.path}` : 'Preview'} data-testid="export-preview">
          {file ? <YamlPreview text={file.content} yaml={file.type !== 'text'} /> : <p className="muted">Nothing to preview.</p>}
        </section>
      </div>

      <footer className="export-foot">
        <span className="muted">
          {!result.ok
            ? 'Fix what is listed above to export.'
            : format === 'compose'
              ? `${files.length} files`
              : `${files.length} files · every object validated against the Kubernetes schemas`}
        </span>
        <button type="button" onClick={copy} disabled={!file}>
          {copied ? 'Copied' : 'Copy file'}
        </button>
        <button type="button" className="primary" onClick={download} disabled={!result.ok}>
          Download .zip
        </button>
      </footer>
    </dialog>
  );
}

/**
 * The dialog's choices as export options: a field its format or profile hides does not
 * count (compose has no namespace or cloud; only production reads the ingress fields).
 */
function toOptions(c: ExportChoices): ExportOptions {
  const kube = c.format !== 'compose';
  const production = kube && c.profile === 'production';
  return {
    format: c.format,
    profile: production ? 'production' : 'quick-start',
    microbus: c.microbus,
    websocket: c.websocket,
    ...(kube ? { namespace: c.namespace, autoscaler: c.autoscaler } : {}),
    ...(kube && c.autoscaler && c.policy ? { policy: c.policy } : {}),
    ...(c.imagePrefix ? { imagePrefix: c.imagePrefix } : {}),
    ...(c.imageTag ? { imageTag: c.imageTag } : {}),
    ...(kube && c.cloud ? { cloud: c.cloud } : {}),
    ...(production && c.ingressHost ? { ingressHost: c.ingressHost } : {}),
    ...(production && c.ingressClass ? { ingressClass: c.ingressClass } : {}),
    ...(production ? { workingDir: c.workingDir } : {}),
  };
}

/** "ConfigMap, 3 Deployments, 3 HorizontalPodAutoscalers…" from the `kind:` lines. */
function summarize(content: string, type: ExportFile['type']): string {
  if (type === 'values') return 'chart values';
  if (type === 'json') return /"durable_name"/.test(content) ? 'JetStream consumer' : 'JetStream stream';
  if (type !== 'yaml') return `${content.split('\n').length - 1} lines`;
  const kinds = new Map<string, number>();
  for (const m of content.matchAll(/^kind: (\w+)$/gm)) kinds.set(m[1] as string, (kinds.get(m[1] as string) ?? 0) + 1);
  if (!kinds.size) return 'compose services';
  return [...kinds].map(([k, n]) => (n > 1 ? `${n} ${k}s` : k)).join(', ');
}

/** One folded list of warnings; nothing when there are none. */
function WarningList({
  testId,
  doc,
  warnings,
  label,
  open = false,
}: {
  testId: string;
  doc: Topology;
  warnings: Warning[];
  label: (n: number) => string;
  /** Export notes start folded: the design's warnings matter more, and the preview needs the room. */
  open?: boolean;
}) {
  if (warnings.length === 0) return null;
  return (
    <details className="export-warnings" data-testid={testId} open={open}>
      <summary>{label(warnings.length)}</summary>
      <ul>
        {warnings.map((w) => (
          <li key={`${w.path}:${w.message}`} data-code={w.code}>
            <strong>{warningTitle(w.code)}</strong> <span title={w.path}>({describePath(doc, w.path)})</span>: {w.message}
          </li>
        ))}
      </ul>
    </details>
  );
}
