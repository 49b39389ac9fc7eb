/**
 * A JetStream stream (schema v3): every field, its figures, its consumers, and a removal that
 * says first what goes with it (its consumers, and the publish acks nothing would give).
 */
import { type Problem, paletteCommand, type StreamT, streamRemoval } from '@busboard/core';
import { useState } from 'react';
import { formatBytes, formatDuration, formatRate } from '../../canvas/format.ts';
import { consumerId, streamId } from '../../canvas/ids.ts';
import { useDesign } from '../../design/context.ts';
import { useEditor } from '../../state/editor.ts';
import { useToasts } from '../../state/toast.ts';
import { useView } from '../../state/view.ts';
import { NumberField, runCommand, Section, SelectField, TextField } from './fields.tsx';
import './events.css';

type Removal = ReturnType<typeof streamRemoval>;

/** Removes the stream at once when nothing else goes with it; else asks for the preview first. */
function removeOrPreview(name: string, toast: (title: string, problems: Problem[]) => void, preview: (r: Removal) => void) {
  const doc = useEditor.getState().doc;
  const effects = doc ? streamRemoval(doc, name) : null;
  if (effects && (effects.consumers.length || effects.acks.length)) preview(effects);
  else if (runCommand({ type: 'remove', target: { kind: 'stream', name } }, `Cannot remove ${name}`, toast)) useView.getState().select([]);
}

/** What removing the stream also changes, before it is done. */
function RemovalPreview({ name, removal, onClose }: { name: string; removal: Removal; onClose(): void }) {
  const toast = useToasts((s) => s.problems);
  const remove = () => {
    onClose();
    if (runCommand({ type: 'remove', target: { kind: 'stream', name } }, `Cannot remove ${name}`, toast)) useView.getState().select([]);
  };
  return (
    <div className="remove-preview" role="alertdialog" aria-label={`Remove ${name}?`} data-testid="remove-stream-preview">
      <p>
        Removing <strong>{name}</strong> also:
      </p>
      <ul>
        {removal.consumers.map((c) => (
          <li key={c}>removes its consumer {c}</li>
        ))}
        {removal.acks.map((a) => (
          <li key={`${a.service}#${a.index}`}>
            stops {a.service} waiting for an ack of {a.subject} (no stream would store it)
          </li>
        ))}
      </ul>
      <div className="add-row">
        <button type="button" className="danger small" onClick={remove} data-testid="remove-stream-confirm">
          Remove stream
        </button>
        <button type="button" className="small" onClick={onClose}>
          Cancel
        </button>
        <span className="muted small">Ctrl+Z undoes it.</span>
      </div>
    </div>
  );
}

function StreamFigures({ name }: { name: string }) {
  const { result } = useDesign();
  const r = result?.async?.streams[name];
  if (!r) return null;
  return (
    <Section title="Figures">
      <dl className="figures" data-testid="stream-figures">
        <dt>Ingest</dt>
        <dd>
          {formatRate(r.ingestRps)} msg/s · {formatBytes(r.bytesPerSec)}/s
        </dd>
        <dt>Storage / day</dt>
        <dd>
          {formatBytes(r.storageBytesPerDay)} per replica · {formatBytes(r.storageBytesPerDayAllReplicas)} all replicas
        </dd>
        <dt>Steady size</dt>
        <dd>{r.steadyBytes === null ? 'grows without bound' : formatBytes(r.steadyBytes)}</dd>
        <dt>Time to limit</dt>
        <dd className={r.timeToLimitSeconds !== null && r.timeToLimitSeconds < 86_400 ? 'error' : ''}>
          {r.timeToLimitSeconds === null ? 'never' : `${formatDuration(r.timeToLimitSeconds)} (${r.limit})`}
        </dd>
        <dt>Publish ack</dt>
        <dd>{r.publishAckMs.toFixed(2)} ms</dd>
        <dt>Cross-zone</dt>
        <dd>{formatBytes(r.crossZoneBytesPerSec)}/s</dd>
      </dl>
    </Section>
  );
}

export function StreamInspector({ stream }: { stream: StreamT }) {
  const { doc } = useDesign();
  const toast = useToasts((s) => s.problems);
  const name = stream.name;
  const set = (fields: Parameters<typeof setStream>[1]) => setStream(name, fields);
  const consumers = (doc.consumers ?? []).filter((c) => c.stream === name);
  const [removal, setRemoval] = useState<Removal | null>(null);
  return (
    <div className="inspector-body" data-testid="inspector-stream">
      <Section
        title="Stream (JetStream)"
        actions={
          <button type="button" className="danger small" data-testid="remove-stream" onClick={() => removeOrPreview(name, toast, setRemoval)}>
            Remove
          </button>
        }
      >
        {removal && <RemovalPreview name={name} removal={removal} onClose={() => setRemoval(null)} />}
        <TextField
          label="Name"
          value={name}
          testId="field-stream-name"
          command={(to) => ({ type: 'renameEntity', target: { kind: 'stream', name }, to })}
          onCommitted={(to) => useView.getState().select([streamId(to.trim())])}
        />
        <TextField
          label="Subjects (space- or comma-separated)"
          value={stream.subjects.join(', ')}
          testId="field-stream-subjects"
          hint="* one token, > the rest: orders.>"
          command={(text) => set({ subjects: text.split(/[,\s]+/).filter(Boolean) })}
        />
        <div className="field-row">
          <SelectField
            label="Replicas"
            value={String(stream.replicas)}
            testId="field-stream-replicas"
            options={['1', '2', '3', '4', '5'].map((r) => ({ value: r, label: `R${r}` }))}
            command={(r) => set({ replicas: Number(r) })}
          />
          <SelectField
            label="Storage"
            value={stream.storage}
            testId="field-stream-storage"
            options={[
              { value: 'file', label: 'file' },
              { value: 'memory', label: 'memory' },
            ]}
            command={(storage) => set({ storage })}
          />
          <SelectField
            label="Retention"
            value={stream.retention}
            testId="field-stream-retention"
            options={[
              { value: 'limits', label: 'limits' },
              { value: 'interest', label: 'interest' },
              { value: 'workqueue', label: 'work queue' },
            ]}
            command={(retention) => set({ retention })}
          />
        </div>
        <div className="field-row top">
          <NumberField
            label="Max age (s)"
            value={stream.maxAgeSeconds}
            optional
            testId="field-stream-maxAgeSeconds"
            hint={stream.maxAgeSeconds === undefined ? 'empty: kept forever' : formatDuration(stream.maxAgeSeconds)}
            command={(v) => set({ maxAgeSeconds: v })}
          />
          <NumberField
            label="Max bytes"
            value={stream.maxBytes}
            optional
            step={1}
            testId="field-stream-maxBytes"
            hint={stream.maxBytes === undefined ? 'empty: no limit' : formatBytes(stream.maxBytes)}
            command={(v) => set({ maxBytes: v })}
          />
          <NumberField
            label="Max messages"
            value={stream.maxMsgs}
            optional
            step={1}
            testId="field-stream-maxMsgs"
            hint={stream.maxMsgs === undefined ? 'empty: no limit' : undefined}
            command={(v) => set({ maxMsgs: v })}
          />
        </div>
        <SelectField
          label="NATS cluster"
          value={stream.cluster ?? ''}
          testId="field-stream-cluster"
          options={[{ value: '', label: `the first (${doc.nats[0]?.name ?? 'none'})` }, ...doc.nats.map((n) => ({ value: n.name, label: n.name }))]}
          command={(cluster) => set({ cluster: cluster || undefined })}
        />
      </Section>
      <StreamFigures name={name} />
      <Section
        title={`Consumers (${consumers.length})`}
        actions={
          <button
            type="button"
            className="small"
            data-testid="stream-add-consumer"
            onClick={() => {
              const input = useEditor.getState().doc;
              if (input) runCommand(paletteCommand(input, 'consumer', { stream: name }), 'Cannot add a consumer', toast);
            }}
          >
            + consumer
          </button>
        }
      >
        <ul className="plain-list">
          {consumers.map((c) => (
            <li key={c.name}>
              <button type="button" className="link" onClick={() => useView.getState().select([consumerId(name, c.name)])}>
                {c.name}
              </button>{' '}
              <span className="muted small">on {c.service}</span>
            </li>
          ))}
        </ul>
      </Section>
    </div>
  );
}

function setStream(name: string, fields: Partial<Omit<StreamT, 'name'>>) {
  return { type: 'setStream', name, fields } as const;
}
