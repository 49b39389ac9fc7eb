/** Databases, externals, zones and single calls. */
import type { DatabaseT, ExternalT, ZoneT } from '@busboard/core';
import { databaseId, externalId, zoneId } from '../../canvas/ids.ts';
import { useDesign } from '../../design/context.ts';
import { useToasts } from '../../state/toast.ts';
import { useView } from '../../state/view.ts';
import { NumberField, runCommand, Section, SelectField, TextField } from './fields.tsx';
import { RetryFields } from './RetryFields.tsx';

function RemoveButton({ onRemove }: { onRemove: () => boolean }) {
  return (
    <button type="button" className="danger small" onClick={() => onRemove() && useView.getState().select([])}>
      Remove
    </button>
  );
}

export function DatabaseInspector({ db }: { db: DatabaseT }) {
  const { result } = useDesign();
  const toast = useToasts((s) => s.problems);
  const name = db.name;
  const r = result?.databases[name];
  const setShard = (i: number, fields: Partial<DatabaseT['shards'][number]>) =>
    ({ type: 'setDatabase', name, fields: { shards: db.shards.map((s, j) => (j === i ? { ...s, ...fields } : s)) } }) as const;
  return (
    <div className="inspector-body" data-testid="inspector-database">
      <Section
        title="Database"
        actions={<RemoveButton onRemove={() => runCommand({ type: 'remove', target: { kind: 'database', name } }, 'Cannot remove', toast)} />}
      >
        <TextField
          label="Name"
          value={name}
          testId="field-database-name"
          command={(to) => ({ type: 'renameEntity', target: { kind: 'database', name }, to })}
          onCommitted={(to) => useView.getState().select([databaseId(to.trim())])}
        />
        <div className="field-row">
          <NumberField label="Query time (ms)" value={db.queryTimeMs} command={(v) => ({ type: 'setDatabase', name, fields: { queryTimeMs: v } })} />
          <NumberField label="cv" value={db.queryTimeCv} command={(v) => ({ type: 'setDatabase', name, fields: { queryTimeCv: v } })} />
          <NumberField
            label="Pool / replica (conns)"
            value={db.poolPerReplica}
            step={1}
            command={(v) => ({ type: 'setDatabase', name, fields: { poolPerReplica: v } })}
          />
        </div>
        {r && (
          <p className={`small ${r.connections.needed > r.connections.available ? 'error' : ''}`}>
            Connections {r.connections.needed} needed of {r.connections.available}
          </p>
        )}
      </Section>
      <Section
        title={`Shards (${db.shards.length})`}
        actions={
          <button
            type="button"
            className="small"
            onClick={() =>
              runCommand(
                {
                  type: 'setDatabase',
                  name,
                  fields: { shards: [...db.shards, { name: `shard-${db.shards.length + 1}`, vcpu: 4, maxConnections: 200 }] },
                },
                'Cannot add a shard',
                toast,
              )
            }
          >
            + shard
          </button>
        }
      >
        {db.shards.map((s, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: shards are positional while one is renamed
          <div className="field-row" key={`${s.name}#${i}`}>
            <TextField label="Shard" value={s.name} command={(v) => setShard(i, { name: v })} />
            <NumberField label="vCPU (cores)" value={s.vcpu} step={1} command={(v) => setShard(i, { vcpu: v })} />
            <NumberField label="Max connections" value={s.maxConnections} step={1} command={(v) => setShard(i, { maxConnections: v })} />
            <span className="muted small">ρ {r?.shards.find((x) => x.name === s.name)?.utilization.toFixed(2) ?? '–'}</span>
            <button
              type="button"
              className="icon"
              aria-label={`remove shard ${s.name}`}
              title={db.shards.length === 1 ? 'a database needs at least one shard' : 'remove this shard'}
              disabled={db.shards.length === 1}
              onClick={() =>
                runCommand({ type: 'setDatabase', name, fields: { shards: db.shards.filter((_, j) => j !== i) } }, 'Cannot remove the shard', toast)
              }
            >
              ×
            </button>
          </div>
        ))}
      </Section>
    </div>
  );
}

export function ExternalInspector({ ext }: { ext: ExternalT }) {
  const toast = useToasts((s) => s.problems);
  const name = ext.name;
  return (
    <div className="inspector-body" data-testid="inspector-external">
      <Section
        title="External"
        actions={<RemoveButton onRemove={() => runCommand({ type: 'remove', target: { kind: 'external', name } }, 'Cannot remove', toast)} />}
      >
        <TextField
          label="Name"
          value={name}
          testId="field-external-name"
          command={(to) => ({ type: 'renameEntity', target: { kind: 'external', name }, to })}
          onCommitted={(to) => useView.getState().select([externalId(to.trim())])}
        />
        <div className="field-row">
          <NumberField label="Latency mean (ms)" value={ext.latencyMs} command={(v) => ({ type: 'setExternal', name, fields: { latencyMs: v } })} />
          <NumberField label="cv" value={ext.latencyCv} command={(v) => ({ type: 'setExternal', name, fields: { latencyCv: v } })} />
        </div>
        <p className="muted small">Outside the system: a delay with no queue and no replicas.</p>
      </Section>
    </div>
  );
}

export function ZoneInspector({ zone }: { zone: ZoneT }) {
  const toast = useToasts((s) => s.problems);
  const failed = useView((s) => s.failZones.includes(zone.name));
  const name = zone.name;
  return (
    <div className="inspector-body" data-testid="inspector-zone">
      <Section
        title="Zone"
        actions={<RemoveButton onRemove={() => runCommand({ type: 'remove', target: { kind: 'zone', name } }, 'Cannot remove the zone', toast)} />}
      >
        <TextField
          label="Name"
          value={name}
          testId="field-zone-name"
          command={(to) => ({ type: 'renameEntity', target: { kind: 'zone', name }, to })}
          onCommitted={(to) => useView.getState().select([zoneId(to.trim())])}
        />
        <TextField label="Region" value={zone.region} command={(region) => ({ type: 'setZone', name, fields: { region } })} />
        <label className="toggle">
          <input type="checkbox" checked={failed} onChange={() => useView.getState().toggleZone(name)} /> fail this zone (what-if)
        </label>
      </Section>
    </div>
  );
}

export function CallInspector({ from, index }: { from: string; index: number }) {
  const { doc } = useDesign();
  const toast = useToasts((s) => s.problems);
  const call = doc.services.find((s) => s.name === from)?.calls[index];
  if (!call) return <p className="muted">That call is gone.</p>;
  return (
    <div className="inspector-body" data-testid="inspector-call">
      <Section
        title={`Call ${from} → ${call.to}`}
        actions={<RemoveButton onRemove={() => runCommand({ type: 'removeCall', from, index }, 'Cannot remove the call', toast)} />}
      >
        <SelectField
          label="Calls"
          value={call.to}
          testId="field-call-to"
          options={[
            ...doc.services.filter((s) => s.name !== from).map((s) => ({ value: s.name, label: s.name })),
            ...doc.databases.map((d) => ({ value: databaseId(d.name), label: databaseId(d.name) })),
            ...doc.externals.map((e) => ({ value: externalId(e.name), label: externalId(e.name) })),
          ]}
          command={(to) => ({ type: 'setCall', from, index, fields: { to } })}
        />
        <NumberField
          label="Calls per request"
          value={call.perRequest}
          hint="⌊n⌋ calls plus one more with probability n − ⌊n⌋"
          command={(v) => ({ type: 'setCall', from, index, fields: { perRequest: v } })}
        />
        <TextField
          label="Parallel group"
          value={call.parallelGroup ?? ''}
          hint="calls of one group run at once; the caller waits for the slowest"
          command={(v) => ({ type: 'setCall', from, index, fields: { parallelGroup: v.trim() || undefined } })}
        />
        {doc.services.some((s) => s.name === call.to) && (
          <RetryFields value={call} testId="call-retry" command={(fields) => ({ type: 'setCall', from, index, fields })} />
        )}
      </Section>
    </div>
  );
}
