/** A service: its own figures, cache, calls, traffic and SLO, and what the engine says of it. */
import { moveServiceCommand, renameServiceCommand, type ServiceT } from '@busboard/core';
import { serviceId } from '../../canvas/ids.ts';
import { useDesign } from '../../design/context.ts';
import { useToasts } from '../../state/toast.ts';
import { useView } from '../../state/view.ts';
import { CacheEditor } from './CacheEditor.tsx';
import { CallsEditor } from './CallsEditor.tsx';
import { AdmissionEditor } from './ClassFields.tsx';
import { EntryEditor } from './EntryEditor.tsx';
import { PublishesEditor, SubscriptionsEditor } from './EventsEditor.tsx';
import { NumberField, runCommand, Section, SelectField, TextField } from './fields.tsx';
import { InFlightField } from './InFlightField.tsx';
import { OnTimeoutField } from './OnTimeoutField.tsx';
import { QueueLimitField } from './QueueLimitField.tsx';
import { ServiceFigures } from './ServiceFigures.tsx';

export function ServiceInspector({ service }: { service: ServiceT }) {
  const { doc } = useDesign();
  const toast = useToasts((s) => s.problems);
  const name = service.name;
  const bundle = doc.bundles.find((b) => b.services.includes(name))?.name ?? '';
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
          command={(to) => renameServiceCommand(doc, name, to)}
          onCommitted={(to) => useView.getState().select([serviceId(to.trim())])}
        />
        <SelectField
          label="Bundle"
          value={bundle}
          testId="field-service-bundle"
          options={doc.bundles.map((b) => ({ value: b.name, label: b.name }))}
          command={(to) => moveServiceCommand(doc, name, to)}
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
        <TextField
          label="Endpoints (NATS subjects or paths, comma-separated)"
          value={(service.endpoints ?? []).join(', ')}
          testId="field-endpoints"
          hint="Optional: used only to match live subscriptions to this service"
          command={(text) => {
            const list = text
              .split(/[,\s]+/)
              .map((e) => e.trim())
              .filter(Boolean);
            return { type: 'setService', name, fields: { endpoints: list.length ? list : undefined } };
          }}
        />
        <QueueLimitField service={service} />
        <OnTimeoutField service={service} />
        <InFlightField service={service} />
      </Section>
      <AdmissionEditor service={service} />
      <ServiceFigures name={name} />
      <EntryEditor name={name} />
      <CallsEditor service={service} />
      <PublishesEditor service={service} />
      <SubscriptionsEditor service={service} />
      <CacheEditor service={service} />
    </div>
  );
}
