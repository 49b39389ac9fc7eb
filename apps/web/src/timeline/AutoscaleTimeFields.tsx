/**
 * A bundle's autoscaler as the timeline runs it (Kubernetes HPA v2, schema `bundles[].autoscale`):
 * the metric and its target, the sync period, each direction's stabilization window and first
 * policy; and how its pods start (`bundles[].startup`). Each field is a `setBundle` command
 * (undo works; refusals show under the field). Absent fields take Kubernetes' defaults.
 */
import type { BundleIn, Command } from '@busboard/core';
import { NumberField, SelectField } from '../designer/inspector/fields.tsx';
import './timeline.css';

type Autoscale = NonNullable<BundleIn['autoscale']>;
type Rules = NonNullable<NonNullable<Autoscale['behavior']>['scaleUp']>;
type Metric = NonNullable<Autoscale['metric']>;

/** A custom metric's first target per replica (in flight: ~1 waiting behind each busy worker). */
const TARGET_START: Record<Exclude<Metric, 'cpu'>, number> = { inFlight: 2, queueDepth: 1 };
/** Kubernetes' defaults, shown as hints. */
const DEFAULT_WINDOW = { scaleUp: 0, scaleDown: 300 } as const;

export function AutoscaleTimeFields({ name, autoscale: a }: { name: string; autoscale: Autoscale }) {
  const set = (autoscale: Autoscale): Command => ({ type: 'setBundle', name, fields: { autoscale } });
  const metric = a.metric ?? 'cpu';
  const rules = (dir: 'scaleUp' | 'scaleDown', r: Rules | undefined): Autoscale => {
    const behavior = { ...a.behavior, [dir]: r };
    if (!r) delete behavior[dir];
    return { ...a, behavior: Object.keys(behavior).length ? behavior : undefined };
  };
  return (
    <div className="autoscale-time" data-testid={`autoscale-time-${name}`}>
      <div className="field-row wrap tl-fields">
        <SelectField<Metric>
          label="HPA metric"
          value={metric}
          testId={`field-autoscale-metric-${name}`}
          options={[
            { value: 'cpu', label: 'CPU only' },
            { value: 'inFlight', label: 'in flight' },
            { value: 'queueDepth', label: 'queue depth' },
          ]}
          command={(m) =>
            set(m === 'cpu' ? { ...a, metric: undefined, target: undefined } : { ...a, metric: m, target: a.target ?? TARGET_START[m] })
          }
        />
        {metric !== 'cpu' && (
          <NumberField
            label="Target / replica"
            value={a.target}
            testId={`field-autoscale-custom-target-${name}`}
            command={(v) => set({ ...a, target: v })}
          />
        )}
        <NumberField
          label="Sync s"
          value={a.syncPeriodSeconds}
          optional
          step={1}
          hint="empty: 15"
          testId={`field-autoscale-sync-${name}`}
          command={(v) => set({ ...a, syncPeriodSeconds: v })}
        />
      </div>
      {(['scaleUp', 'scaleDown'] as const).map((dir) => {
        const r = a.behavior?.[dir];
        const p = r?.policies?.[0];
        return (
          <div className="field-row wrap tl-fields" key={dir}>
            <NumberField
              label={`${dir === 'scaleUp' ? 'Up' : 'Down'}: window s`}
              value={r?.stabilizationWindowSeconds}
              optional
              step={1}
              hint={`empty: ${DEFAULT_WINDOW[dir]}`}
              testId={`field-autoscale-${dir}-window-${name}`}
              command={(v) => set(rules(dir, clean({ ...r, stabilizationWindowSeconds: v })))}
            />
            <NumberField
              label="at most"
              value={p?.value}
              optional
              step={1}
              hint={dir === 'scaleUp' ? 'empty: 4 pods, 100 %' : 'empty: 100 %'}
              testId={`field-autoscale-${dir}-value-${name}`}
              command={(v) =>
                set(
                  rules(
                    dir,
                    clean({
                      ...r,
                      policies: v === undefined ? undefined : [{ type: p?.type ?? 'Pods', value: v, periodSeconds: p?.periodSeconds ?? 60 }],
                    }),
                  ),
                )
              }
            />
            {p && (
              <>
                <SelectField<'Pods' | 'Percent'>
                  label="of"
                  value={p.type}
                  options={[
                    { value: 'Pods', label: 'pods' },
                    { value: 'Percent', label: '%' },
                  ]}
                  command={(type) => set(rules(dir, { ...r, policies: [{ ...p, type }, ...(r?.policies?.slice(1) ?? [])] }))}
                />
                <NumberField
                  label="per s"
                  value={p.periodSeconds}
                  step={1}
                  testId={`field-autoscale-${dir}-period-${name}`}
                  command={(v) =>
                    set(rules(dir, { ...r, policies: [{ ...p, periodSeconds: v ?? p.periodSeconds }, ...(r?.policies?.slice(1) ?? [])] }))
                  }
                />
              </>
            )}
          </div>
        );
      })}
    </div>
  );
}

/** Pod start: not ready for the delay, then `warmupFactor` × slower for `warmupSeconds`. */
export function StartupFields({ name, startup }: { name: string; startup: BundleIn['startup'] }) {
  const s = startup ?? {};
  const set = (next: typeof s): Command => {
    const kept = Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined));
    return { type: 'setBundle', name, fields: { startup: Object.keys(kept).length ? kept : undefined } };
  };
  return (
    <div className="field-row wrap tl-fields" data-testid={`startup-${name}`}>
      <NumberField
        label="Start delay s"
        value={s.delaySeconds}
        optional
        min={0}
        testId={`field-startup-delay-${name}`}
        command={(v) => set({ ...s, delaySeconds: v })}
      />
      <NumberField
        label="Warm-up s"
        value={s.warmupSeconds}
        optional
        min={0}
        testId={`field-startup-warmup-${name}`}
        command={(v) => set({ ...s, warmupSeconds: v })}
      />
      <NumberField
        label="Warm-up ×"
        value={s.warmupFactor}
        optional
        min={1}
        testId={`field-startup-factor-${name}`}
        command={(v) => set({ ...s, warmupFactor: v })}
      />
    </div>
  );
}

/** Drops undefined fields; no rules left → undefined (Kubernetes' defaults). */
function clean(r: Rules): Rules | undefined {
  const kept = Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as Rules;
  return Object.keys(kept).length ? kept : undefined;
}
