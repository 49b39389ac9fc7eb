/** A service's calls in document order: target, calls per request, parallel group. */
import type { ServiceT } from '@busboard/core';
import { useState } from 'react';
import { callId, databaseId, externalId } from '../../canvas/ids.ts';
import { useDesign } from '../../design/context.ts';
import { useToasts } from '../../state/toast.ts';
import { useView } from '../../state/view.ts';
import { NumberField, runCommand, Section, TextField } from './fields.tsx';

export function CallsEditor({ service }: { service: ServiceT }) {
  const { doc } = useDesign();
  const toast = useToasts((s) => s.problems);
  const [target, setTarget] = useState('');
  const name = service.name;
  const targets = [
    ...doc.services.filter((s) => s.name !== name).map((s) => s.name),
    ...doc.databases.map((d) => databaseId(d.name)),
    ...doc.externals.map((e) => externalId(e.name)),
  ];
  return (
    <Section title={`Calls (${service.calls.length})`}>
      {service.calls.length === 0 && <p className="muted small">No calls: drag from this service's right edge to another node, or add one here.</p>}
      {service.calls.map((c, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a call is its position in the document
        <div className="call-row" key={`${c.to}#${i}`}>
          <button type="button" className="link" onClick={() => useView.getState().select([callId(name, i)])} title="select this call">
            → {c.to}
          </button>
          <NumberField
            label="per request"
            value={c.perRequest}
            command={(v) => ({ type: 'setCall', from: name, index: i, fields: { perRequest: v } })}
          />
          <TextField
            label="parallel group"
            value={c.parallelGroup ?? ''}
            command={(v) => ({ type: 'setCall', from: name, index: i, fields: { parallelGroup: v.trim() || undefined } })}
          />
          <button
            type="button"
            className="icon"
            title="remove this call"
            aria-label={`remove call to ${c.to}`}
            onClick={() => runCommand({ type: 'removeCall', from: name, index: i }, 'Cannot remove the call', toast)}
          >
            ×
          </button>
        </div>
      ))}
      <div className="add-row">
        <select value={target} onChange={(e) => setTarget(e.target.value)} aria-label="call target" data-testid="add-call-target">
          <option value="">call…</option>
          {targets.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
        <button
          type="button"
          disabled={!target}
          onClick={() =>
            runCommand({ type: 'addCall', from: name, call: { to: target, perRequest: 1 } }, `${name} cannot call ${target}`, toast) && setTarget('')
          }
        >
          Add call
        </button>
      </div>
    </Section>
  );
}
