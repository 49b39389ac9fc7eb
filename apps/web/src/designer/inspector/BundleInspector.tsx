/** A bundle: its replicas per zone (the knob planners turn most), size, and services. */
import type { BundleT } from '@busboard/core';
import { bundleId, serviceId } from '../../canvas/ids.ts';
import { useDesign } from '../../design/context.ts';
import { useToasts } from '../../state/toast.ts';
import { useView } from '../../state/view.ts';
import { DeploymentFields } from './DeploymentFields.tsx';
import { NumberField, runCommand, Section, TextField } from './fields.tsx';

export function BundleInspector({ bundle }: { bundle: BundleT }) {
  const { doc, result } = useDesign();
  const toast = useToasts((s) => s.problems);
  const name = bundle.name;
  const r = result?.bundles[name];
  return (
    <div className="inspector-body" data-testid="inspector-bundle">
      <Section
        title="Bundle"
        actions={
          <button
            type="button"
            className="danger small"
            title="removes the bundle and its services"
            onClick={() =>
              runCommand({ type: 'remove', target: { kind: 'bundle', name } }, `Cannot remove ${name}`, toast) && useView.getState().select([])
            }
          >
            Remove
          </button>
        }
      >
        <TextField
          label="Name"
          value={name}
          testId="field-bundle-name"
          command={(to) => ({ type: 'renameEntity', target: { kind: 'bundle', name }, to })}
          onCommitted={(to) => useView.getState().select([bundleId(to.trim())])}
        />
        <div className="field-row">
          <NumberField label="CPU (cores)" value={bundle.cpu} command={(v) => ({ type: 'setBundle', name, fields: { cpu: v } })} />
          <NumberField label="Memory (MiB)" value={bundle.memoryMiB} command={(v) => ({ type: 'setBundle', name, fields: { memoryMiB: v } })} />
        </div>
        {r && (
          <p className="small">
            CPU per replica <strong className={r.cpuUtilization >= 1 ? 'error' : ''}>{(r.cpuUtilization * 100).toFixed(0)} %</strong> · {r.replicas}{' '}
            live replicas
          </p>
        )}
      </Section>
      <Section title="Replicas per zone">
        <div className="replica-grid">
          {doc.zones.map((z) => (
            <NumberField
              key={z.name}
              label={z.name}
              value={bundle.replicas[z.name] ?? 0}
              step={1}
              min={0}
              testId={`replicas-${name}-${z.name}`}
              command={(v) => ({ type: 'setReplicas', bundle: name, zone: z.name, replicas: v ?? 0 })}
            />
          ))}
        </div>
      </Section>
      <DeploymentFields bundle={bundle} zones={doc.zones.filter((z) => (bundle.replicas[z.name] ?? 0) > 0).length} />
      <Section title={`Services (${bundle.services.length})`}>
        <ul className="plain-list">
          {bundle.services.map((s) => (
            <li key={s}>
              <button type="button" className="link" onClick={() => useView.getState().focus([serviceId(s)])}>
                {s}
              </button>
              <span className="muted small"> ρ {result?.services[s]?.utilization.toFixed(2) ?? '–'}</span>
            </li>
          ))}
        </ul>
        <p className="muted small">Drag a service onto another bundle to move it there.</p>
      </Section>
    </div>
  );
}
