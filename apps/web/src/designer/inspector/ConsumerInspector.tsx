/** A JetStream consumer (schema v3): every field, and what the engine says of it. */
import type { ConsumerT } from '@busboard/core';
import { formatMs } from '../../canvas/adapter.ts';
import { formatCount, formatDuration, formatRate } from '../../canvas/format.ts';
import { consumerId } from '../../canvas/ids.ts';
import { useDesign } from '../../design/context.ts';
import { useToasts } from '../../state/toast.ts';
import { useView } from '../../state/view.ts';
import { CheckField, NumberField, runCommand, Section, SelectField, TextField } from './fields.tsx';
import './events.css';

function ConsumerFigures({ consumer }: { consumer: ConsumerT }) {
  const { result } = useDesign();
  const r = result?.async?.streams[consumer.stream]?.consumers[consumer.name];
  if (!r) return null;
  const l = r.latency.latencyMs;
  return (
    <Section title="Figures">
      <dl className="figures" data-testid="consumer-figures">
        <dt>Deliveries</dt>
        <dd>
          {formatRate(r.deliverRps)} msg/s{r.redeliverRps > 0 ? ` · ${formatRate(r.redeliverRps)} redelivered` : ''}
        </dd>
        <dt>Concurrency</dt>
        <dd className={r.ackPendingLimited ? 'warn' : ''}>
          {r.concurrency} handlers{r.ackPendingLimited ? ' · bound by maxAckPending' : ''}
        </dd>
        <dt>ρ</dt>
        <dd className={!r.stable ? 'error' : r.utilization >= 0.8 ? 'warn' : ''} data-testid="consumer-rho">
          {r.utilization.toFixed(2)}
          {!r.stable && ' · cannot keep up'}
        </dd>
        <dt>Pending / ack pending</dt>
        <dd>
          {r.meanPending === null ? '—' : formatCount(r.meanPending)} / {r.meanAckPending === null ? '—' : formatCount(r.meanAckPending)}
        </dd>
        {r.backlog !== null && (
          <>
            <dt>Lag after the what-if</dt>
            <dd data-testid="consumer-lag">
              {formatCount(r.backlog)} messages · {r.lagDrainSeconds === null ? 'never drains' : `drains in ${formatDuration(r.lagDrainSeconds)}`}
            </dd>
          </>
        )}
        <dt>Publish → handled</dt>
        <dd>{l ? `${formatMs(l.p50)} / ${formatMs(l.p95)} / ${formatMs(l.p99)}` : (r.latency.reason ?? '—')}</dd>
      </dl>
    </Section>
  );
}

export function ConsumerInspector({ consumer }: { consumer: ConsumerT }) {
  const { doc } = useDesign();
  const toast = useToasts((s) => s.problems);
  const { stream, name } = consumer;
  const set = (fields: Partial<Omit<ConsumerT, 'name'>>) => ({ type: 'setConsumer', stream, name, fields }) as const;
  const own = doc.services.find((s) => s.name === consumer.service);
  return (
    <div className="inspector-body" data-testid="inspector-consumer">
      <Section
        title="Consumer (JetStream)"
        actions={
          <button
            type="button"
            className="danger small"
            onClick={() =>
              runCommand({ type: 'remove', target: { kind: 'consumer', name: `${stream}/${name}` } }, `Cannot remove ${name}`, toast) &&
              useView.getState().select([])
            }
          >
            Remove
          </button>
        }
      >
        <TextField
          label="Name (durable name)"
          value={name}
          testId="field-consumer-name"
          command={(to) => ({ type: 'renameEntity', target: { kind: 'consumer', name: `${stream}/${name}` }, to })}
          onCommitted={(to) => useView.getState().select([consumerId(stream, to.trim())])}
        />
        <div className="field-row">
          <SelectField
            label="Stream"
            value={stream}
            testId="field-consumer-stream"
            options={(doc.streams ?? []).map((s) => ({ value: s.name, label: s.name }))}
            command={(to) => set({ stream: to })}
            onCommitted={(to) => useView.getState().select([consumerId(to, name)])}
          />
          <SelectField
            label="Runs on"
            value={consumer.service}
            testId="field-consumer-service"
            options={doc.services.map((s) => ({ value: s.name, label: s.name }))}
            command={(service) => set({ service })}
          />
        </div>
        <TextField
          label="Filter subject"
          value={consumer.filterSubject ?? ''}
          testId="field-consumer-filterSubject"
          hint="empty: every subject of the stream"
          command={(v) => set({ filterSubject: v.trim() || undefined })}
        />
        <div className="field-row">
          <SelectField
            label="Mode"
            value={consumer.mode}
            testId="field-consumer-mode"
            options={[
              { value: 'pull', label: 'pull' },
              { value: 'push', label: 'push' },
            ]}
            command={(mode) => set({ mode })}
          />
          <NumberField
            label="Workers / replica"
            value={consumer.workers}
            step={1}
            testId="field-consumer-workers"
            command={(v) => set({ workers: v })}
          />
          <NumberField label="Batch" value={consumer.batch} step={1} testId="field-consumer-batch" command={(v) => set({ batch: v })} />
        </div>
        <div className="field-row">
          <NumberField
            label="Max ack pending"
            value={consumer.maxAckPending}
            step={1}
            testId="field-consumer-maxAckPending"
            command={(v) => set({ maxAckPending: v })}
          />
          <NumberField label="Ack wait (ms)" value={consumer.ackWaitMs} testId="field-consumer-ackWaitMs" command={(v) => set({ ackWaitMs: v })} />
        </div>
        <div className="field-row top">
          <NumberField
            label="Handler time (ms)"
            value={consumer.serviceTimeMs}
            optional
            testId="field-consumer-serviceTimeMs"
            hint={consumer.serviceTimeMs === undefined && own ? `empty: ${own.name}'s ${own.serviceTimeMs} ms` : undefined}
            command={(v) => set({ serviceTimeMs: v })}
          />
          <NumberField
            label="cv"
            value={consumer.serviceTimeCv}
            optional
            testId="field-consumer-serviceTimeCv"
            command={(v) => set({ serviceTimeCv: v })}
          />
        </div>
        <NumberField
          label="Failure rate"
          value={consumer.failureRate}
          optional
          testId="field-consumer-failureRate"
          hint="the share of deliveries not acked: redelivered after the ack wait"
          command={(v) => set({ failureRate: v })}
        />
        <CheckField
          label="durable (survives its clients)"
          value={consumer.durable}
          testId="field-consumer-durable"
          command={(durable) => set({ durable })}
        />
      </Section>
      <ConsumerFigures consumer={consumer} />
    </div>
  );
}
