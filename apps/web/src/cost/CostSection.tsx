/**
 * The Results panel's cost per month (issue 20): the total, then a line per bundle, NATS cluster,
 * database, traffic crossing zones or regions (calls, streams, event copies to a subscriber) and
 * stream storage; each line opens to its formula
 * with the values it used. Core's designCost computes it from the design and the engine's result.
 */
import { type CostLine, designCost, money } from '@busboard/core';
import { useMemo, useState } from 'react';
import { useDesign } from '../design/context.ts';
import { PriceBookEditor } from './PriceBookEditor.tsx';
import './cost.css';

const KIND_LABEL: Record<CostLine['kind'], string> = {
  bundle: 'bundle',
  nats: 'NATS',
  database: 'database',
  storage: 'storage',
  'cross-zone': 'cross-zone calls',
  'cross-region': 'cross-region calls',
  'stream-cross-zone': 'stream, cross-zone',
  'event-cross-zone': 'events in, cross-zone',
  'event-cross-region': 'events in, cross-region',
};

const lineKey = (l: CostLine) => `${l.kind}-${l.name}`;

function Line({ line, currency }: { line: CostLine; currency: string }) {
  const [open, setOpen] = useState(false);
  const key = lineKey(line);
  const explain = line.note ? `${line.formula} (${line.note})` : line.formula;
  return (
    <>
      <tr data-testid={`cost-line-${key}`} title={explain}>
        <td>
          <button
            type="button"
            className="link cost-toggle"
            aria-expanded={open}
            onClick={() => setOpen(!open)}
            data-testid={`cost-explain-${key}`}
            title={open ? 'hide the formula' : 'show the formula'}
          >
            <span aria-hidden="true">{open ? '▾' : '▸'}</span>{' '}
            {line.kind === 'cross-zone' || line.kind === 'cross-region' ? KIND_LABEL[line.kind] : line.name}
          </button>
          {line.kind !== 'cross-zone' && line.kind !== 'cross-region' && <span className="muted small"> {KIND_LABEL[line.kind]}</span>}
        </td>
        <td className="cost-amount" data-testid={`cost-amount-${key}`}>
          {line.kind === 'database' && line.inputs.dbVcpuHour === null ? <span className="muted">not priced</span> : money(line.monthly, currency)}
        </td>
      </tr>
      {open && (
        <tr className="cost-formula" data-testid={`cost-formula-${key}`}>
          <td colSpan={2}>
            <code>{line.formula}</code>
            {line.note && <div className="muted small">{line.note}</div>}
          </td>
        </tr>
      )}
    </>
  );
}

export function CostSection() {
  const { doc, result, options } = useDesign();
  const cost = useMemo(() => (result ? designCost(doc, result) : null), [doc, result]);
  if (!cost) return null;
  const $ = (x: number) => money(x, cost.prices.currency);
  const hasStreams = (doc.streams?.length ?? 0) > 0;
  const regions = new Set(doc.zones.map((z) => z.region)).size;
  const shown = cost.lines.filter((l) =>
    l.kind === 'cross-region' ? regions > 1 || l.monthly > 0 : l.kind === 'storage' || l.kind === 'stream-cross-zone' ? hasStreams : true,
  );
  const t = cost.totals;
  const whatIf = (options.scale ?? 1) !== 1 || (options.failZones?.length ?? 0) > 0;
  return (
    <section className="cost" data-testid="cost" aria-label="Cost per month">
      <h3>Cost per month</h3>
      <p className="cost-total">
        <strong data-testid="cost-total" data-value={t.total}>
          {$(t.total)}
        </strong>{' '}
        <span className="muted small">
          per month ({cost.hoursPerMonth} h){whatIf ? ', traffic at the what-if' : ''}
        </span>
      </p>
      <p className="muted small" data-testid="cost-notice" title={cost.prices.source}>
        {cost.prices.notice}
        {cost.prices.overridden.length > 0 && `; this design sets ${cost.prices.overridden.join(', ')}`}
      </p>
      <p className="small cost-split" data-testid="cost-split">
        compute {$(t.compute)} · NATS {$(t.nats)} · network {$(t.network)}
        {hasStreams && ` · storage ${$(t.storage)}`}
        {t.databases > 0 && ` · databases ${$(t.databases)}`}
      </p>
      <table className="entries-table cost-table">
        <thead>
          <tr>
            <th>what</th>
            <th title={`${cost.prices.currency} per month of ${cost.hoursPerMonth} hours`}>per month</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((l) => (
            <Line key={lineKey(l)} line={l} currency={cost.prices.currency} />
          ))}
        </tbody>
      </table>
      <PriceBookEditor prices={cost.prices} />
    </section>
  );
}
