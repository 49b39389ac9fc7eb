/** Nothing selected: the design as a whole — zones, network, routing, NATS, traffic, SLOs. */

import { MICROBUS_ACK_TIMEOUT_MS, MICROBUS_HOP_MS } from '@busboard/core';
import { addFromPalette } from '../../canvas/Canvas.tsx';
import { zoneId } from '../../canvas/ids.ts';
import { useDesign } from '../../design/context.ts';
import { useEditor } from '../../state/editor.ts';
import { useToasts } from '../../state/toast.ts';
import { useView } from '../../state/view.ts';
import { ClassesSection, ClassSelect } from './ClassFields.tsx';
import { NumberField, runCommand, Section, SelectField, TextField } from './fields.tsx';

const NETWORK = [
  ['natsHopMs', 'NATS hop'],
  ['crossZoneMs', 'Cross-zone'],
  ['crossRegionMs', 'Cross-region'],
  ['shortCircuitMs', 'In-process'],
  ['dbCallMs', 'DB call'],
] as const;

export function DocumentInspector() {
  const { doc } = useDesign();
  const toast = useToasts((s) => s.problems);
  const entries = doc.services.map((s) => s.name);
  return (
    <div className="inspector-body" data-testid="inspector-document">
      <Section title="Design">
        <TextField
          label="Name"
          value={doc.name}
          testId="field-doc-name"
          command={(name) => {
            if (name.trim()) useEditor.getState().setName(name.trim());
            return { type: 'rename', name };
          }}
        />
        <SelectField
          label="Routing (how a queue group picks a replica)"
          value={doc.routing}
          options={[
            { value: 'locality', label: 'locality: same zone, then region, then any' },
            { value: 'random', label: 'random over all replicas' },
          ]}
          command={(routing) => ({ type: 'setRouting', routing })}
        />
      </Section>
      <ClassesSection />
      <Section
        title={`Zones (${doc.zones.length})`}
        actions={
          <button type="button" className="small" onClick={() => addFromPalette('zone', undefined)}>
            + zone
          </button>
        }
      >
        <ul className="plain-list">
          {doc.zones.map((z) => (
            <li key={z.name}>
              <button type="button" className="link" onClick={() => useView.getState().select([zoneId(z.name)])}>
                {z.name}
              </button>{' '}
              <span className="muted small">{z.region}</span>
            </li>
          ))}
        </ul>
      </Section>
      <Section title="Network (ms per call)">
        <div className="field-row wrap">
          {NETWORK.map(([key, label]) => (
            <NumberField key={key} label={label} value={doc.network[key]} command={(v) => ({ type: 'setNetwork', fields: { [key]: v } })} />
          ))}
        </div>
        <div className="field-row wrap" data-testid="budget-network">
          <NumberField
            label="Ack timeout"
            value={doc.network.ackTimeoutMs}
            optional
            min={0}
            testId="field-ackTimeoutMs"
            hint={
              doc.network.ackTimeoutMs === undefined ? `empty: ${MICROBUS_ACK_TIMEOUT_MS} ms (Microbus)` : 'a call no replica acks fails after this'
            }
            command={(v) => ({ type: 'setNetwork', fields: { ackTimeoutMs: v } })}
          />
          <NumberField
            label="Budget reserve / hop"
            value={doc.network.timeBudgetHopMs}
            optional
            min={0}
            testId="field-timeBudgetHopMs"
            hint={doc.network.timeBudgetHopMs === undefined ? `empty: ${MICROBUS_HOP_MS} ms (Microbus)` : 'no call is sent with this or less left'}
            command={(v) => ({ type: 'setNetwork', fields: { timeBudgetHopMs: v } })}
          />
        </div>
      </Section>
      <Section
        title={`NATS clusters (${doc.nats.length})`}
        actions={
          <button
            type="button"
            className="small"
            onClick={() =>
              runCommand(
                { type: 'addNats', nats: { name: `nats-${doc.nats.length + 1}`, region: doc.zones[0]?.region ?? '', serversPerZone: 1 } },
                'Cannot add a cluster',
                toast,
              )
            }
          >
            + cluster
          </button>
        }
      >
        {doc.nats.map((n) => (
          <div className="field-row wrap" key={n.name}>
            <TextField label="Cluster" value={n.name} command={(to) => ({ type: 'renameEntity', target: { kind: 'nats', name: n.name }, to })} />
            <TextField label="Region" value={n.region} command={(region) => ({ type: 'setNats', name: n.name, fields: { region } })} />
            <NumberField
              label="Servers/zone"
              value={n.serversPerZone}
              step={1}
              command={(v) => ({ type: 'setNats', name: n.name, fields: { serversPerZone: v } })}
            />
            <NumberField
              label="Max msgs/s"
              value={n.maxMsgsPerSecPerServer}
              command={(v) => ({ type: 'setNats', name: n.name, fields: { maxMsgsPerSecPerServer: v } })}
            />
            <button
              type="button"
              className="icon"
              aria-label={`remove cluster ${n.name}`}
              onClick={() => runCommand({ type: 'remove', target: { kind: 'nats', name: n.name } }, 'Cannot remove', toast)}
            >
              ×
            </button>
          </div>
        ))}
      </Section>
      <Section
        title={`Traffic (${doc.traffic.length})`}
        actions={
          entries[0] ? (
            <button
              type="button"
              className="small"
              onClick={() => runCommand({ type: 'addTraffic', traffic: { entry: entries[0] ?? '', rps: 100 } }, 'Cannot add', toast)}
            >
              + traffic
            </button>
          ) : null
        }
      >
        {doc.traffic.map((t, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: traffic items are positional in the document
          <div className="field-row wrap" key={`${t.entry}#${index}`}>
            <SelectField
              label="Entry"
              value={t.entry}
              options={entries.map((e) => ({ value: e, label: e }))}
              command={(entry) => ({ type: 'setTraffic', index, fields: { entry } })}
            />
            <NumberField label="rps" value={t.rps} command={(v) => ({ type: 'setTraffic', index, fields: { rps: v } })} />
            <ClassSelect
              value={t.class}
              none="default"
              testId={`field-doc-traffic-class-${index}`}
              command={(cls) => ({ type: 'setTraffic', index, fields: { class: cls } })}
            />
            <NumberField
              label="Time budget ms"
              value={t.timeBudgetMs}
              optional
              min={0}
              testId={`field-timeBudgetMs-${index}`}
              hint={t.timeBudgetMs === undefined ? 'empty: none' : 'deadline from the ingress'}
              command={(v) => ({ type: 'setTraffic', index, fields: { timeBudgetMs: v } })}
            />
            <button
              type="button"
              className="icon"
              aria-label="remove traffic"
              onClick={() => runCommand({ type: 'removeTraffic', index }, 'Cannot remove', toast)}
            >
              ×
            </button>
          </div>
        ))}
      </Section>
      <Section
        title={`SLOs (${doc.slo.length})`}
        actions={
          entries[0] ? (
            <button
              type="button"
              className="small"
              onClick={() => runCommand({ type: 'addSlo', slo: { entry: entries[0] ?? '', p99Ms: 100 } }, 'Cannot add', toast)}
            >
              + SLO
            </button>
          ) : null
        }
      >
        {doc.slo.map((s, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: SLOs are positional in the document
          <div className="field-row wrap" key={`${s.entry}#${index}`}>
            <SelectField
              label="Entry"
              value={s.entry}
              options={entries.map((e) => ({ value: e, label: e }))}
              command={(entry) => ({ type: 'setSlo', index, fields: { entry } })}
            />
            <ClassSelect value={s.class} none="all requests" command={(cls) => ({ type: 'setSlo', index, fields: { class: cls } })} />
            {(['p50Ms', 'p95Ms', 'p99Ms'] as const).map((k) => (
              <NumberField
                key={k}
                label={`${k.slice(0, 3).toUpperCase()} ms`}
                value={s[k]}
                optional
                command={(v) => ({ type: 'setSlo', index, fields: { [k]: v } })}
              />
            ))}
            <NumberField
              label="Max timeouts %"
              value={s.maxTimeoutRate === undefined ? undefined : Number((s.maxTimeoutRate * 100).toPrecision(12))}
              optional
              min={0}
              testId={`field-maxTimeoutRate-${index}`}
              command={(v) => ({ type: 'setSlo', index, fields: { maxTimeoutRate: v === undefined ? undefined : v / 100 } })}
            />
            <button
              type="button"
              className="icon"
              aria-label="remove SLO"
              onClick={() => runCommand({ type: 'removeSlo', index }, 'Cannot remove', toast)}
            >
              ×
            </button>
          </div>
        ))}
      </Section>
    </div>
  );
}
