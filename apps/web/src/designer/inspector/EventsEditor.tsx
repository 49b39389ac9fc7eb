/**
 * A service's events (schema v3): what it publishes per request it handles (fire and forget,
 * or waiting for a stream's ack) and the core-NATS subjects it subscribes to. Rows are added and
 * removed here; a subject the schema refuses shows its problem under the field.
 */
import type { Command, Problem, ServiceT } from '@busboard/core';
import { useState } from 'react';
import { useEditor } from '../../state/editor.ts';
import { useToasts } from '../../state/toast.ts';
import { CheckField, NumberField, Problems, runCommand, Section, SelectField, TextField } from './fields.tsx';
import './events.css';

/** A subject box and an Add button; the new row's problems (its path included) show under it. */
function AddSubject({
  placeholder,
  button,
  testId,
  command,
}: {
  placeholder: string;
  button: string;
  testId: string;
  command: (subject: string) => Command;
}) {
  const [subject, setSubject] = useState('');
  const [problems, setProblems] = useState<Problem[]>([]);
  const add = () => {
    const found = useEditor.getState().dispatch(command(subject.trim()));
    setProblems(found);
    if (!found.length) setSubject('');
  };
  return (
    <>
      <div className="add-row">
        <input
          type="text"
          value={subject}
          placeholder={placeholder}
          aria-label={placeholder}
          spellCheck={false}
          data-testid={`${testId}-subject`}
          onChange={(e) => setSubject(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && subject.trim() && add()}
        />
        <button type="button" disabled={!subject.trim()} onClick={add} data-testid={`${testId}-add`}>
          {button}
        </button>
      </div>
      <Problems problems={problems} />
    </>
  );
}

export function PublishesEditor({ service }: { service: ServiceT }) {
  const toast = useToasts((s) => s.problems);
  const name = service.name;
  const list = service.publishes ?? [];
  return (
    <Section title={`Publishes (${list.length})`}>
      {list.length === 0 && <p className="muted small">No events: add a subject, or drag from this service onto a stream.</p>}
      {list.map((p, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a publish is its position in the document
        <div className="event-row" key={`${p.subject}#${i}`} data-testid={`publish-${i}`}>
          <div className="field-row">
            <TextField
              label="Subject"
              value={p.subject}
              testId={`field-publish-${i}-subject`}
              command={(subject) => ({ type: 'setPublish', service: name, index: i, fields: { subject: subject.trim() } })}
            />
            <button
              type="button"
              className="icon"
              aria-label={`remove the publish on ${p.subject}`}
              title="remove this publish"
              onClick={() => runCommand({ type: 'removePublish', service: name, index: i }, 'Cannot remove the publish', toast)}
            >
              ×
            </button>
          </div>
          <div className="field-row">
            <NumberField
              label="per request"
              value={p.perRequest}
              testId={`field-publish-${i}-perRequest`}
              command={(v) => ({ type: 'setPublish', service: name, index: i, fields: { perRequest: v } })}
            />
            <NumberField
              label="payload (bytes)"
              value={p.payloadBytes}
              step={1}
              testId={`field-publish-${i}-payloadBytes`}
              command={(v) => ({ type: 'setPublish', service: name, index: i, fields: { payloadBytes: v } })}
            />
          </div>
          <CheckField
            label="wait for the stream's ack"
            value={p.ack ?? false}
            testId={`field-publish-${i}-ack`}
            hint="the handler waits for the stored write before it replies (adds to request latency)"
            command={(ack) => ({ type: 'setPublish', service: name, index: i, fields: { ack: ack || undefined } })}
          />
        </div>
      ))}
      <AddSubject
        placeholder="subject, e.g. orders.created"
        button="Add publish"
        testId="add-publish"
        command={(subject) => ({ type: 'addPublish', service: name, publish: { subject, perRequest: 1, payloadBytes: 512 } })}
      />
    </Section>
  );
}

export function SubscriptionsEditor({ service }: { service: ServiceT }) {
  const toast = useToasts((s) => s.problems);
  const name = service.name;
  const list = service.subscribes ?? [];
  return (
    <Section title={`Subscriptions (${list.length})`}>
      {list.length === 0 && <p className="muted small">No subscriptions: core NATS delivers every matching event to each subscribing service.</p>}
      {list.map((s, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a subscription is its position in the document
        <div className="event-row" key={`${s.subject}#${i}`} data-testid={`subscription-${i}`}>
          <div className="field-row">
            <TextField
              label="Subject"
              value={s.subject}
              testId={`field-subscription-${i}-subject`}
              hint="* one token, > the rest"
              command={(subject) => ({ type: 'setSubscription', service: name, index: i, fields: { subject: subject.trim() } })}
            />
            <button
              type="button"
              className="icon"
              aria-label={`remove the subscription to ${s.subject}`}
              title="remove this subscription"
              onClick={() => runCommand({ type: 'removeSubscription', service: name, index: i }, 'Cannot remove the subscription', toast)}
            >
              ×
            </button>
          </div>
          <div className="field-row">
            <SelectField
              label="Delivery"
              value={s.delivery ?? 'service'}
              testId={`field-subscription-${i}-delivery`}
              options={[
                { value: 'service', label: 'one copy per service (queue group)' },
                { value: 'replica', label: 'a copy to every replica' },
              ]}
              command={(delivery) => ({
                type: 'setSubscription',
                service: name,
                index: i,
                fields: { delivery: delivery === 'service' ? undefined : delivery },
              })}
            />
            <TextField
              label="Queue group"
              value={s.queueGroup ?? ''}
              testId={`field-subscription-${i}-queueGroup`}
              hint="shared with other services: one copy per group"
              command={(v) => ({ type: 'setSubscription', service: name, index: i, fields: { queueGroup: v.trim() || undefined } })}
            />
          </div>
          <div className="field-row">
            <NumberField
              label="Handler time (ms)"
              value={s.serviceTimeMs}
              optional
              testId={`field-subscription-${i}-serviceTimeMs`}
              hint={s.serviceTimeMs === undefined ? `empty: the service's ${service.serviceTimeMs} ms` : undefined}
              command={(v) => ({ type: 'setSubscription', service: name, index: i, fields: { serviceTimeMs: v } })}
            />
            <NumberField
              label="cv"
              value={s.serviceTimeCv}
              optional
              testId={`field-subscription-${i}-serviceTimeCv`}
              command={(v) => ({ type: 'setSubscription', service: name, index: i, fields: { serviceTimeCv: v } })}
            />
          </div>
        </div>
      ))}
      <AddSubject
        placeholder="subject, e.g. orders.*"
        button="Add subscription"
        testId="add-subscription"
        command={(subject) => ({ type: 'addSubscription', service: name, subscription: { subject } })}
      />
    </Section>
  );
}
