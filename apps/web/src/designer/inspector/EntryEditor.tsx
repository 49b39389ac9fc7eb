/** Traffic entering at a service, the zones it enters in, and the SLO its users feel. */

import type { EntryResult } from '@busboard/core';
import { useDesign } from '../../design/context.ts';
import { useToasts } from '../../state/toast.ts';
import { ProfileFields } from '../../timeline/ProfileFields.tsx';
import { ClassSelect } from './ClassFields.tsx';
import { NumberField, runCommand, Section } from './fields.tsx';
import { RetryFields } from './RetryFields.tsx';

export function EntryEditor({ name }: { name: string }) {
  const { doc, result } = useDesign();
  const toast = useToasts((s) => s.problems);
  const traffic = doc.traffic.map((t, index) => ({ t, index })).filter((x) => x.t.entry === name);
  const slos = doc.slo.map((s, index) => ({ s, index })).filter((x) => x.s.entry === name);
  const entry = result?.entries[name];
  const hasClasses = (doc.classes?.length ?? 0) > 0;
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
          {(slos.length === 0 || hasClasses) && (
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
        <div key={`t${index}`}>
          <div className="field-row">
            <NumberField
              label="Requests/s entering"
              value={t.rps}
              testId={`field-traffic-${index}`}
              command={(v) => ({ type: 'setTraffic', index, fields: { rps: v } })}
            />
            <ClassSelect
              value={t.class}
              none="default"
              testId={`field-traffic-class-${index}`}
              command={(cls) => ({ type: 'setTraffic', index, fields: { class: cls } })}
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
          <ZoneShares index={index} zones={t.zones} />
          <ProfileFields index={index} profile={t.profile} />
          <RetryFields value={t} testId={`traffic-retry-${index}`} command={(fields) => ({ type: 'setTraffic', index, fields })} />
        </div>
      ))}
      {slos.map(({ s, index }, n) => (
        <div key={`s${index}`}>
          <div className="field-row wrap">
            <ClassSelect
              value={s.class}
              none="all requests"
              label="SLO for"
              testId={`field-slo-class-${n}`}
              command={(cls) => ({ type: 'setSlo', index, fields: { class: cls } })}
            />
            {(['p50Ms', 'p95Ms', 'p99Ms'] as const).map((k) => (
              <NumberField
                key={k}
                label={`SLO ${k.slice(0, 3).toUpperCase()} (ms)`}
                value={s[k]}
                optional
                testId={n === 0 ? `field-slo-${k}` : `field-slo-${k}-${n}`}
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
          {s.class !== undefined && <ClassSloStatus slo={entry?.classes?.[s.class]?.slo ?? null} cls={s.class} />}
          {s.class === undefined && entry?.slo && (
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

/** The status of one class's SLO at this entry (schema v2 `slo[].class`). */
function ClassSloStatus({ slo, cls }: { slo: NonNullable<EntryResult['classes']>[string]['slo']; cls: string }) {
  if (!slo) return null;
  const parts = slo.checks.map((c) => `${c.percentile.toUpperCase()} ${c.valueMs === null ? '—' : c.valueMs.toFixed(1)} / ${c.limitMs} ms`);
  if (slo.rejection) parts.push(`rejected ${(slo.rejection.value * 100).toFixed(1)} % / ${(slo.rejection.limit * 100).toFixed(1)} %`);
  return (
    <p className={slo.met ? 'ok small' : 'error small'} data-testid={`class-slo-status-${cls}`}>
      {cls}: {slo.met ? 'SLO met' : 'SLO missed'}: {parts.join(', ')}
    </p>
  );
}

/**
 * Where a traffic item enters: even over the zones where the entry's bundle runs (the
 * default), or by the shares given here (relative weights; a zone left empty gets none).
 */
function ZoneShares({ index, zones }: { index: number; zones: Record<string, number> | undefined }) {
  const { doc } = useDesign();
  const toast = useToasts((s) => s.problems);
  const total = Object.values(zones ?? {}).reduce((a, b) => a + b, 0);
  return (
    <div className="zone-shares">
      <label className="toggle" title="Off: even over the zones where the entry's bundle has replicas">
        <input
          type="checkbox"
          data-testid={`traffic-zones-${index}`}
          checked={zones !== undefined}
          onChange={(e) =>
            runCommand(
              {
                type: 'setTraffic',
                index,
                fields: { zones: e.target.checked ? Object.fromEntries(doc.zones.map((z) => [z.name, 1])) : undefined },
              },
              'Cannot change the zone shares',
              toast,
            )
          }
        />
        Shares by zone
      </label>
      {zones && (
        <div className="replica-grid">
          {doc.zones.map((z) => (
            <NumberField
              key={z.name}
              label={`${z.name}${total > 0 && zones[z.name] ? ` (${Math.round(((zones[z.name] ?? 0) / total) * 100)} %)` : ''}`}
              value={zones[z.name]}
              optional
              min={0}
              testId={`traffic-share-${index}-${z.name}`}
              command={(v) => {
                const next = { ...zones };
                if (v === undefined || v === 0) delete next[z.name];
                else next[z.name] = v;
                return { type: 'setTraffic', index, fields: { zones: Object.keys(next).length ? next : undefined } };
              }}
            />
          ))}
        </div>
      )}
    </div>
  );
}
