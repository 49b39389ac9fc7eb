/**
 * Import a YAML/JSON file. A file with problems is refused with every problem listed (each
 * with its path) and nothing changes; a good one is handed to `onAccept`.
 */
import { formatProblem, type Problem, parseTopologyText, type TopologyInput } from '@busboard/core';
import { type ChangeEvent, useEffect, useRef, useState } from 'react';

export function useImportFile(onAccept: (doc: TopologyInput, fileName: string) => void) {
  const input = useRef<HTMLInputElement>(null);
  const [refused, setRefused] = useState<{ file: string; problems: Problem[] } | null>(null);
  const onChange = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    const text = await file.text();
    const parsed = parseTopologyText(text);
    if (!parsed.ok) {
      setRefused({ file: file.name, problems: parsed.problems });
      return;
    }
    setRefused(null);
    // The parsed form: migrated to the current schema, defaults written out.
    onAccept(parsed.doc, file.name);
  };
  const picker = (
    <input ref={input} type="file" accept=".yaml,.yml,.json,application/json,text/yaml" hidden data-testid="import-file" onChange={onChange} />
  );
  const dialog = refused && <RefusedDialog file={refused.file} problems={refused.problems} onClose={() => setRefused(null)} />;
  return { open: () => input.current?.click(), picker, dialog };
}

function RefusedDialog({ file, problems, onClose }: { file: string; problems: Problem[]; onClose(): void }) {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    close.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="modal-backdrop">
      <div className="modal" role="alertdialog" aria-labelledby="import-refused-title" data-testid="import-refused">
        <h2 id="import-refused-title">
          {file} was not imported: {problems.length} problem{problems.length === 1 ? '' : 's'}
        </h2>
        <p className="muted">Nothing was changed. Fix these in the file and import it again:</p>
        <ul className="problem-list">
          {problems.map((p) => (
            <li key={formatProblem(p)}>
              {p.path && <code>{p.path}</code>} {p.message}
            </li>
          ))}
        </ul>
        <button type="button" className="primary" onClick={onClose} ref={close}>
          Close
        </button>
      </div>
    </div>
  );
}
