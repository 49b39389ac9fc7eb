/**
 * Import a YAML/JSON file. A file with problems is refused with every problem listed (each
 * with its path) and nothing changes; a good one is handed to `onAccept`. A file whose only
 * problems are fields the schema does not know gets a choice: import without them (each one
 * listed) or not at all. Nothing is dropped without the user saying so.
 */
import { decodeTopologyText, dropUnknownFields, formatProblem, type Problem, parseTopology, type TopologyInput } from '@busboard/core';
import { type ChangeEvent, useEffect, useRef, useState } from 'react';

export function useImportFile(onAccept: (doc: TopologyInput, fileName: string) => void) {
  const input = useRef<HTMLInputElement>(null);
  const [refused, setRefused] = useState<{ file: string; problems: Problem[] } | null>(null);
  const [unknown, setUnknown] = useState<{ file: string; dropped: string[]; doc: TopologyInput } | null>(null);
  const onChange = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    const text = await file.text();
    setUnknown(null);
    const decoded = decodeTopologyText(text);
    if (!decoded.ok) {
      setRefused({ file: file.name, problems: decoded.problems });
      return;
    }
    const parsed = parseTopology(decoded.value);
    if (!parsed.ok) {
      const without = dropUnknownFields(decoded.value);
      const reparsed = without.ok && without.dropped.length ? parseTopology(without.doc) : null;
      if (without.ok && reparsed?.ok) {
        setRefused(null);
        setUnknown({ file: file.name, dropped: without.dropped, doc: reparsed.doc });
        return;
      }
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
  const dialog =
    (refused && <RefusedDialog file={refused.file} problems={refused.problems} onClose={() => setRefused(null)} />) ||
    (unknown && (
      <UnknownFieldsDialog
        file={unknown.file}
        dropped={unknown.dropped}
        onDrop={() => {
          setUnknown(null);
          onAccept(unknown.doc, unknown.file);
        }}
        onClose={() => setUnknown(null)}
      />
    ));
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

function UnknownFieldsDialog({ file, dropped, onDrop, onClose }: { file: string; dropped: string[]; onDrop(): void; onClose(): void }) {
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    cancel.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  const n = dropped.length;
  return (
    <div className="modal-backdrop">
      <div className="modal" role="alertdialog" aria-labelledby="import-unknown-title" data-testid="import-unknown">
        <h2 id="import-unknown-title">
          {file} has {n} field{n === 1 ? '' : 's'} Busboard does not know
        </h2>
        <p className="muted">
          Busboard's schema has no place for {n === 1 ? 'it' : 'them'} (a typo, or a field of another tool). Import without {n === 1 ? 'it' : 'them'},
          and {n === 1 ? 'it is' : 'they are'} not in the design or its exports:
        </p>
        <ul className="problem-list">
          {dropped.map((path) => (
            <li key={path}>
              <code>{path}</code>
            </li>
          ))}
        </ul>
        <div className="modal-actions">
          <button type="button" onClick={onClose} ref={cancel}>
            Cancel
          </button>
          <button type="button" className="primary" onClick={onDrop} data-testid="import-drop-unknown">
            Import without {n === 1 ? 'it' : `these ${n}`}
          </button>
        </div>
      </div>
    </div>
  );
}
