/** Per-class figures (schema v2 traffic classes): each class entering each entry, its success, rejections and P99 against its SLO. */
import type { SimulationResult } from '@busboard/core';
import { formatRate } from '../canvas/adapter.ts';

const pct = (x: number) => `${(x * 100).toFixed(x > 0 && x < 0.001 ? 3 : 1)} %`;

export function ClassResults({ result }: { result: SimulationResult }) {
  const rows = Object.entries(result.entries).flatMap(([entry, e]) => Object.entries(e.classes ?? {}).map(([cls, c]) => ({ entry, cls, c })));
  if (!rows.length) return null;
  return (
    <>
      <h3>Traffic classes</h3>
      <table className="entries-table" data-testid="class-results">
        <thead>
          <tr>
            <th>entry · class</th>
            <th title="requests per second of the class that succeed">goodput</th>
            <th title="share of the class's requests rejected on their path (429 or 503)">rejected</th>
            <th title="P99 of the class's successful requests, against its SLO">P99 ms</th>
            <th>SLO</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ entry, cls, c }) => {
            const p99 = c.slo?.checks.find((x) => x.percentile === 'p99');
            const rejected = 1 - c.successRate;
            return (
              <tr key={`${entry}/${cls}`} data-testid={`class-row-${entry}-${cls}`}>
                <td>
                  {entry} · <strong>{cls}</strong>
                </td>
                <td>{formatRate(c.goodputRps)} rps</td>
                <td
                  className={c.slo?.rejection ? (c.slo.rejection.met ? 'ok' : 'error') : rejected >= 0.0005 ? 'warn-text' : ''}
                  data-testid={`class-rejected-${entry}-${cls}`}
                >
                  {pct(rejected)}
                </td>
                <td className={p99 ? (p99.met ? 'ok' : 'error') : ''} data-testid={`class-p99-${entry}-${cls}`}>
                  {c.latencyMs ? c.latencyMs.p99.toFixed(1) : '—'}
                  {p99 && <span className="muted small"> /{p99.limitMs}</span>}
                </td>
                <td className={c.slo ? (c.slo.met ? 'ok' : 'error') : 'muted'}>{c.slo ? (c.slo.met ? 'met' : 'missed') : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
