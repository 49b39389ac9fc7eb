/**
 * What the export reads from a bundle besides its replicas: the container image and the
 * autoscaler's bounds. The bounds are per zone: a bundle in three zones with min 2 runs at
 * least 6 replicas (each zone's Deployment has its own autoscaler).
 */
import type { BundleT } from '@busboard/core';
import { useToasts } from '../../state/toast.ts';
import { AutoscaleTimeFields, StartupFields } from '../../timeline/AutoscaleTimeFields.tsx';
import { NumberField, runCommand, Section, TextField } from './fields.tsx';

export function DeploymentFields({ bundle, zones }: { bundle: BundleT; zones: number }) {
  const toast = useToasts((s) => s.problems);
  const name = bundle.name;
  const a = bundle.autoscale;
  const counts = Object.values(bundle.replicas).filter((n) => n > 0);
  const busiest = counts.length ? Math.max(...counts) : 1;
  return (
    <Section
      title="Deployment"
      actions={
        <label
          className="toggle"
          title="An autoscaler per zone; off: the export keeps the design's replicas as its floor and twice them as its ceiling"
        >
          <input
            type="checkbox"
            data-testid={`autoscale-${name}`}
            checked={a !== undefined}
            onChange={(e) =>
              runCommand(
                {
                  type: 'setBundle',
                  name,
                  fields: { autoscale: e.target.checked ? { min: busiest, max: busiest * 2, targetUtilization: 0.7 } : undefined },
                },
                `Cannot change ${name}'s autoscale`,
                toast,
              )
            }
          />
          Autoscale
        </label>
      }
    >
      <TextField
        label="Image"
        value={bundle.image ?? ''}
        testId={`field-bundle-image-${name}`}
        hint="With a tag or digest, e.g. ghcr.io/acme/shop:1.4.2 (empty: the export's prefix + the bundle's name)"
        command={(v) => ({ type: 'setBundle', name, fields: { image: v.trim() === '' ? undefined : v.trim() } })}
      />
      <StartupFields name={name} startup={bundle.startup} />
      {a && (
        <>
          <div className="field-row">
            <NumberField
              label="Min per zone"
              value={a.min}
              step={1}
              min={1}
              testId={`field-autoscale-min-${name}`}
              command={(v) => ({ type: 'setBundle', name, fields: { autoscale: { ...a, min: v ?? a.min } } })}
            />
            <NumberField
              label="Max per zone"
              value={a.max}
              step={1}
              min={1}
              testId={`field-autoscale-max-${name}`}
              command={(v) => ({ type: 'setBundle', name, fields: { autoscale: { ...a, max: v ?? a.max } } })}
            />
            <NumberField
              label="Target CPU %"
              value={Math.round(a.targetUtilization * 1000) / 10}
              min={1}
              testId={`field-autoscale-target-${name}`}
              command={(v) => ({ type: 'setBundle', name, fields: { autoscale: { ...a, targetUtilization: (v ?? 0) / 100 } } })}
            />
          </div>
          <p className="muted small" data-testid={`autoscale-total-${name}`}>
            Per zone: {zones} zone{zones === 1 ? '' : 's'} → {a.min * zones}–{a.max * zones} replicas in total.
          </p>
          <AutoscaleTimeFields name={name} autoscale={a} />
        </>
      )}
    </Section>
  );
}
