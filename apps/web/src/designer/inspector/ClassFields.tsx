/**
 * Traffic classes (schema v2, tenants) without YAML: the design's classes (add, rename,
 * remove, priority), a class picker for traffic items and SLOs, and a service's per-class
 * admission rows. Renames and removals reach every reference (core edit/classes.ts).
 */
import type { Command, ServiceT } from '@busboard/core';
import { useDesign } from '../../design/context.ts';
import { useToasts } from '../../state/toast.ts';
import { NumberField, runCommand, Section, SelectField, TextField } from './fields.tsx';

/** The first `tenant-N` not taken. */
function freshName(taken: readonly string[]): string {
  for (let i = 1; ; i++) if (!taken.includes(`tenant-${i}`)) return `tenant-${i}`;
}

export function ClassesSection() {
  const { doc } = useDesign();
  const toast = useToasts((s) => s.problems);
  const classes = doc.classes ?? [];
  return (
    <Section
      title={`Traffic classes (${classes.length})`}
      actions={
        <button
          type="button"
          className="small"
          data-testid="add-class"
          onClick={() => runCommand({ type: 'addClass', klass: { name: freshName(classes.map((c) => c.name)) } }, 'Cannot add a class', toast)}
        >
          + class
        </button>
      }
    >
      {classes.length === 0 && (
        <p className="muted small">One class for all traffic. Add classes for tenants with their own admission limits, priority and SLOs.</p>
      )}
      {classes.map((c, i) => (
        <div className="field-row" key={c.name} data-testid={`class-${i}`}>
          <TextField label="Class" value={c.name} testId={`field-class-name-${i}`} command={(to) => ({ type: 'renameClass', from: c.name, to })} />
          <NumberField
            label="Priority"
            value={c.priority}
            optional
            step={1}
            testId={`field-class-priority-${i}`}
            hint={c.priority === undefined ? 'empty: first come, first served' : 'higher starts first'}
            command={(v) => ({ type: 'setClass', name: c.name, fields: { priority: v } })}
          />
          <button
            type="button"
            className="icon"
            aria-label={`remove class ${c.name}`}
            onClick={() => runCommand({ type: 'removeClass', name: c.name }, 'Cannot remove the class', toast)}
          >
            ×
          </button>
        </div>
      ))}
    </Section>
  );
}

/** A class picker: '' is the default class (traffic) or every request (an SLO). Shown only when the design has classes. */
export function ClassSelect({
  value,
  command,
  testId,
  none,
  label = 'Class',
}: {
  value: string | undefined;
  command: (cls: string | undefined) => Command | null;
  testId?: string;
  none: string;
  label?: string;
}) {
  const { doc } = useDesign();
  const classes = doc.classes ?? [];
  if (classes.length === 0 && value === undefined) return null;
  return (
    <SelectField
      label={label}
      value={value ?? ''}
      testId={testId}
      options={[{ value: '', label: none }, ...classes.map((c) => ({ value: c.name, label: c.name }))]}
      command={(v) => command(v === '' ? undefined : v)}
    />
  );
}

/**
 * Per-class admission at one replica: at most `queueLimit` waiting and `maxInFlight` holding
 * workers for the class; the service's own queue limit bounds the whole line too (both apply),
 * so adding the first row sets one when there is none.
 */
export function AdmissionEditor({ service }: { service: ServiceT }) {
  const { doc, result } = useDesign();
  const toast = useToasts((s) => s.problems);
  const classes = doc.classes ?? [];
  if (classes.length === 0) return null;
  const rows = service.admission ?? [];
  const name = service.name;
  const free = classes.find((c) => !rows.some((r) => r.class === c.name));
  const setRows = (next: typeof rows): Command => ({ type: 'setService', name, fields: { admission: next.length ? next : undefined } });
  const figures = result?.services[name]?.classes;
  return (
    <Section
      title="Admission per class"
      actions={
        free ? (
          <button
            type="button"
            className="small"
            data-testid="add-admission"
            onClick={() => {
              const row = { class: free.name, queueLimit: 10, maxInFlight: Math.max(1, Math.floor(service.workers / 2)) };
              const cmd: Command =
                service.queueLimit === undefined
                  ? { type: 'setService', name, fields: { queueLimit: 10 * classes.length, admission: [...rows, row] } }
                  : setRows([...rows, row]);
              runCommand(cmd, 'Cannot add an admission row', toast);
            }}
          >
            + class limit
          </button>
        ) : null
      }
    >
      {rows.length === 0 && <p className="muted small">Every class shares this service's line and workers.</p>}
      {rows.map((r, i) => {
        const f = figures?.[r.class];
        return (
          <div key={r.class} data-testid={`admission-${r.class}`}>
            <div className="field-row">
              <SelectField
                label="Class"
                value={r.class}
                testId={`field-admission-class-${i}`}
                options={classes
                  .filter((c) => c.name === r.class || !rows.some((x) => x.class === c.name))
                  .map((c) => ({ value: c.name, label: c.name }))}
                command={(cls) => setRows(rows.map((x, j) => (j === i ? { ...x, class: cls } : x)))}
              />
              <NumberField
                label="Queue / replica"
                value={r.queueLimit}
                optional
                step={1}
                min={0}
                testId={`field-admission-queueLimit-${i}`}
                command={(v) => setRows(rows.map((x, j) => (j === i ? { ...x, queueLimit: v } : x)))}
              />
              <NumberField
                label="In flight"
                value={r.maxInFlight}
                optional
                step={1}
                min={1}
                testId={`field-admission-maxInFlight-${i}`}
                command={(v) => setRows(rows.map((x, j) => (j === i ? { ...x, maxInFlight: v } : x)))}
              />
              <button
                type="button"
                className="icon"
                aria-label={`remove the ${r.class} limits`}
                onClick={() => runCommand(setRows(rows.filter((_, j) => j !== i)), 'Cannot remove', toast)}
              >
                ×
              </button>
            </div>
            {f && (
              <p className={`small ${f.rejectionRate >= 0.0005 ? 'warn-text' : 'muted'}`} data-testid={`admission-figures-${r.class}`}>
                {r.class}: {f.arrivalRps.toFixed(1)} rps, {(f.rejectionRate * 100).toFixed(1)} % rejected ({service.rejectWith ?? 429})
                {f.meanWaitMs !== null && `, waits ${f.meanWaitMs.toFixed(1)} ms on average`}
              </p>
            )}
          </div>
        );
      })}
    </Section>
  );
}
