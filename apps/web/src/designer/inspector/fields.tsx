/**
 * Inspector fields with inline validation: a field turns its text into a core command and
 * dispatches it; when the schema refuses the result, the problems (with their paths) show
 * under the field and the document keeps its last valid value.
 */
import { type Command, formatProblem, type Problem } from '@busboard/core';
import { type ReactNode, useEffect, useId, useState } from 'react';
import { useEditor } from '../../state/editor.ts';

export function Problems({ problems }: { problems: Problem[] }) {
  if (!problems.length) return null;
  return (
    <ul className="field-problems" role="alert">
      {problems.map((p) => (
        <li key={formatProblem(p)}>
          {p.path && <code>{p.path}</code>} {p.message}
        </li>
      ))}
    </ul>
  );
}

interface FieldProps<T> {
  label: string;
  value: T;
  /** The command for a new value; null when there is nothing to do. */
  command: (value: T) => Command | null;
  testId?: string;
  hint?: ReactNode;
  /** Runs after a value was committed (a rename moves the selection to the new name). */
  onCommitted?: (value: T) => void;
}

function useField<T>(value: T, command: (v: T) => Command | null, key: string, onCommitted?: (v: T) => void) {
  const [draft, setDraft] = useState<string | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  // An outside change (undo, another panel) replaces a stale draft.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when the stored value changes
  useEffect(() => {
    setDraft(null);
    setProblems([]);
  }, [value]);
  const commit = (v: T, text: string) => {
    const cmd = command(v);
    if (!cmd) return;
    const found = useEditor.getState().dispatch(cmd, key);
    setProblems(found);
    setDraft(found.length ? text : null);
    if (!found.length) onCommitted?.(v);
  };
  return { draft, setDraft, problems, setProblems, commit };
}

/** A number; empty means "not set" when `optional`. Commits on every valid keystroke. */
export function NumberField({
  label,
  value,
  command,
  testId,
  hint,
  optional,
  step = 'any',
  min,
}: FieldProps<number | undefined> & { optional?: boolean; step?: number | 'any'; min?: number }) {
  const id = useId();
  const f = useField(value, command, `${testId ?? label}:${id}`);
  const shown = f.draft ?? (value === undefined ? '' : String(value));
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        step={step}
        min={min}
        value={shown}
        data-testid={testId}
        aria-invalid={f.problems.length > 0}
        onChange={(e) => {
          const text = e.target.value;
          f.setDraft(text);
          if (text.trim() === '') {
            if (optional) f.commit(undefined, text);
            else f.setProblems([{ path: '', message: 'required: enter a number' }]);
            return;
          }
          const n = Number(text);
          if (!Number.isFinite(n)) {
            f.setProblems([{ path: '', message: `"${text}" is not a number` }]);
            return;
          }
          f.commit(n, text);
        }}
      />
      {hint && <div className="field-hint">{hint}</div>}
      <Problems problems={f.problems} />
    </div>
  );
}

/** Text committed on Enter or blur (names: a rename touches every reference at once). */
export function TextField({ label, value, command, testId, hint, onCommitted }: FieldProps<string>) {
  const id = useId();
  const f = useField(value, command, `${testId ?? label}:${id}`, onCommitted);
  const shown = f.draft ?? value;
  const commit = () => {
    if (f.draft !== null && f.draft !== value) f.commit(f.draft, f.draft);
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        value={shown}
        data-testid={testId}
        aria-invalid={f.problems.length > 0}
        spellCheck={false}
        onChange={(e) => f.setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') {
            // First Escape drops the typing; with nothing typed, it hands the keys back to the canvas.
            if (f.draft === null) e.currentTarget.blur();
            f.setDraft(null);
            f.setProblems([]);
          }
        }}
      />
      {hint && <div className="field-hint">{hint}</div>}
      <Problems problems={f.problems} />
    </div>
  );
}

export function SelectField<T extends string>({
  label,
  value,
  command,
  testId,
  options,
  onCommitted,
}: FieldProps<T> & { options: { value: T; label: string }[] }) {
  const id = useId();
  const f = useField(value, command, `${testId ?? label}:${id}`, onCommitted);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} data-testid={testId} onChange={(e) => f.commit(e.target.value as T, e.target.value)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Problems problems={f.problems} />
    </div>
  );
}

/** A titled group of fields. */
export function Section({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="inspector-section">
      <header>
        <h3>{title}</h3>
        {actions}
      </header>
      {children}
    </section>
  );
}

/** Runs a command from a button; refused edits show their problems as a toast. */
export function runCommand(cmd: Command, what: string, toast: (title: string, problems: Problem[]) => void): boolean {
  const problems = useEditor.getState().dispatch(cmd);
  if (problems.length) toast(what, problems);
  return problems.length === 0;
}

/** A yes/no field; a refused change shows its problems under it (e.g. an ack no stream gives). */
export function CheckField({ label, value, command, testId, hint }: FieldProps<boolean>) {
  const id = useId();
  const f = useField(value, command, `${testId ?? label}:${id}`);
  return (
    <div className="field">
      <label className="toggle" htmlFor={id}>
        <input id={id} type="checkbox" checked={value} data-testid={testId} onChange={(e) => f.commit(e.target.checked, String(e.target.checked))} />{' '}
        {label}
      </label>
      {hint && <div className="field-hint">{hint}</div>}
      <Problems problems={f.problems} />
    </div>
  );
}
