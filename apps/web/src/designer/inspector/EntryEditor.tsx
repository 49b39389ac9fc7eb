/** Traffic entering at a service and the SLO its users feel. */
import { useToasts } from '../../state/toast.ts';
import { useDesign } from '../context.ts';
import { NumberField, runCommand, Section } from './fields.tsx';

export function EntryEditor({ name }: { name: string }) {
  const { doc, result } = useDesign();
  const toast = useToasts((s) => s.problems);
  const traffic = doc.traffic.map((t, index) => ({ t, index })).filter((x) => x.t.entry === name);
  const slos = doc.slo.map((s, index) => ({ s, index })).filter((x) => x.s.entry === name);
  const entry = result?.entries[name];
  return (
    <Section
      title="Traffic & SLO"
      actions={
        <span className="actions">
          <button
            type="button"
            className="small"
            onClick={() => runCommand({ type: 'addTraffic', traffic: { entry: name, rps: 100 } }, 'Cannot add traffic', toast)}
          >
            + traffic
          </button>
          {slos.length === 0 && (
            <button
              type="button"
              className="small"
              onClick={() => runCommand({ type: 'addSlo', slo: { entry: name, p99Ms: 100 } }, 'Cannot add an SLO', toast)}
            >
              + SLO
            </button>
          )}
        </span>
      }
    >
      {traffic.length === 0 && slos.length === 0 && <p className="muted small">No traffic enters here.</p>}
      {traffic.map(({ t, index }) => (
        <div className="field-row" key={`t${index}`}>
          <NumberField
            label="Requests/s entering"
            value={t.rps}
            testId={`field-traffic-${index}`}
            command={(v) => ({ type: 'setTraffic', index, fields: { rps: v } })}
          />
          <button
            type="button"
            className="icon"
            aria-label="remove this traffic"
            onClick={() => runCommand({ type: 'removeTraffic', index }, 'Cannot remove', toast)}
          >
            ×
          </button>
        </div>
      ))}
      {slos.map(({ s, index }) => (
        <div key={`s${index}`}>
          <div className="field-row">
            {(['p50Ms', 'p95Ms', 'p99Ms'] as const).map((k) => (
              <NumberField
                key={k}
                label={`SLO ${k.slice(0, 3).toUpperCase()} (ms)`}
                value={s[k]}
                optional
                testId={`field-slo-${k}`}
                command={(v) => ({ type: 'setSlo', index, fields: { [k]: v } })}
              />
            ))}
            <button
              type="button"
              className="icon"
              aria-label="remove this SLO"
              onClick={() => runCommand({ type: 'removeSlo', index }, 'Cannot remove', toast)}
            >
              ×
            </button>
          </div>
          {entry?.slo && (
            <p className={entry.slo.met ? 'ok small' : 'error small'} data-testid="entry-slo-status">
              {entry.slo.met ? 'SLO met' : 'SLO missed'}:{' '}
              {entry.slo.checks
                .map((c) => `${c.percentile.toUpperCase()} ${c.valueMs === null ? '—' : c.valueMs.toFixed(1)} / ${c.limitMs} ms`)
                .join(', ')}
            </p>
          )}
        </div>
      ))}
    </Section>
  );
}
