/** A service: its own figures, cache, calls, traffic and SLO, and what the engine says of it. */
import type { ServiceT } from '@busboard/core';
import { serviceId } from '../../canvas/ids.ts';
import { useToasts } from '../../state/toast.ts';
import { useView } from '../../state/view.ts';
import { useDesign } from '../context.ts';
import { CallsEditor } from './CallsEditor.tsx';
import { EntryEditor } from './EntryEditor.tsx';
import { NumberField, runCommand, Section, SelectField, TextField } from './fields.tsx';
import { QueueLimitField } from './QueueLimitField.tsx';
import { ServiceFigures } from './ServiceFigures.tsx';

const DEFAULT_CACHE = { scope: 'distributed' as const, entriesPerReplica: 10_000, keySpace: 1_000_000, zipf: 1, hitTimeMs: 0.2 };

export function ServiceInspector({ service }: { service: ServiceT }) {
  const { doc } = useDesign();
  const toast = useToasts((s) => s.problems);
  const name = service.name;
  const bundle = doc.bundles.find((b) => b.services.includes(name))?.name ?? '';
  const cache = service.cache;
  const setCache = (fields: Partial<NonNullable<ServiceT['cache']>>) =>
    cache ? ({ type: 'setService', name, fields: { cache: { ...cache, ...fields } } } as const) : null;
  return (
    <div className="inspector-body" data-testid="inspector-service">
      <Section
        title="Service"
        actions={
          <button
            type="button"
            className="danger small"
            onClick={() =>
              runCommand({ type: 'remove', target: { kind: 'service', name } }, `Cannot remove ${name}`, toast) && useView.getState().select([])
            }
          >
            Remove
          </button>
        }
      >
        <TextField
          label="Name (hostname, its queue group)"
          value={name}
          testId="field-service-name"
          command={(to) => ({ type: 'renameEntity', target: { kind: 'service', name }, to })}
          onCommitted={(to) => useView.getState().select([serviceId(to.trim())])}
        />
        <SelectField
          label="Bundle"
          value={bundle}
          testId="field-service-bundle"
          options={doc.bundles.map((b) => ({ value: b.name, label: b.name }))}
          command={(to) => ({ type: 'moveService', service: name, toBundle: to })}
        />
        <div className="field-row">
          <NumberField
            label="Service time (ms)"
            value={service.serviceTimeMs}
            testId="field-serviceTimeMs"
            command={(v) => ({ type: 'setService', name, fields: { serviceTimeMs: v } })}
          />
          <NumberField
            label="cv"
            value={service.serviceTimeCv}
            testId="field-serviceTimeCv"
            hint="1 exponential · 0 fixed"
            command={(v) => ({ type: 'setService', name, fields: { serviceTimeCv: v } })}
          />
          <NumberField
            label="Workers"
            value={service.workers}
            step={1}
            testId="field-workers"
            command={(v) => ({ type: 'setService', name, fields: { workers: v } })}
          />
        </div>
        <QueueLimitField service={service} />
      </Section>
      <ServiceFigures name={name} />
      <EntryEditor name={name} />
      <CallsEditor service={service} />
      <Section
        title="Cache"
        actions={
          <label className="toggle">
            <input
              type="checkbox"
              checked={cache !== undefined}
              data-testid="field-cache-on"
              onChange={(e) =>
                runCommand(
                  { type: 'setService', name, fields: { cache: e.target.checked ? DEFAULT_CACHE : undefined } },
                  'Cannot change the cache',
                  toast,
                )
              }
            />{' '}
            cached
          </label>
        }
      >
        {cache ? (
          <>
            <SelectField
              label="Scope"
              value={cache.scope}
              options={[
                { value: 'distributed', label: 'distributed (sharded over replicas)' },
                { value: 'perReplica', label: 'per replica (each holds its own)' },
              ]}
              command={(scope) => setCache({ scope })}
            />
            <div className="field-row">
              <NumberField label="Entries / replica" value={cache.entriesPerReplica} step={1} command={(v) => setCache({ entriesPerReplica: v })} />
              <NumberField label="Key space" value={cache.keySpace} step={1} command={(v) => setCache({ keySpace: v })} />
            </div>
            <div className="field-row">
              <NumberField label="Zipf α" value={cache.zipf} command={(v) => setCache({ zipf: v })} />
              <NumberField label="Hit time (ms)" value={cache.hitTimeMs} command={(v) => setCache({ hitTimeMs: v })} />
            </div>
          </>
        ) : (
          <p className="muted small">No cache: every request costs the full service time and makes its calls.</p>
        )}
      </Section>
    </div>
  );
}
