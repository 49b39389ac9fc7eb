/**
 * Entries whose requests fail somewhere on their path (bounded queues, time budgets, schema v2): the
 * share rejected (or sent to a service with no live replica), the share timed out, and what still succeeds.
 */
import type { SimulationResult } from '@busboard/core';
import { formatRate } from '../canvas/adapter.ts';

/** The failures that are not timeouts: rejections, calls to a service with no live replica. */
const failed = (e: SimulationResult['entries'][string]) => Math.max(0, 1 - e.successRate - (e.timeoutRate ?? 0));

export function EntryRejections({ result }: { result: SimulationResult }) {
  const rows = Object.entries(result.entries).filter(([, e]) => e.rps > 0 && e.successRate < 0.9995 && e.latencyMs !== null);
  if (!rows.length) return null;
  return (
    <>
      {rows.map(([entry, e]) => (
        <p
          key={entry}
          className={`small ${(e.slo?.rejection && !e.slo.rejection.met) || (e.slo?.timeout && !e.slo.timeout.met) ? 'error' : 'warn-text'}`}
          data-testid={`entry-rejection-${entry}`}
        >
          {entry}:{' '}
          {failed(e) >= 0.0005 && `${(failed(e) * 100).toFixed(1)} % ${e.timeoutRate === undefined ? 'rejected' : 'rejected or unanswered'}, `}
          {e.slo?.rejection && `(budget ${(e.slo.rejection.limit * 100).toFixed(1)} %) `}
          {e.timeoutRate !== undefined && e.timeoutRate >= 0.0005 && (
            <span data-testid={`entry-timeouts-${entry}`}>
              {(e.timeoutRate * 100).toFixed(1)} % timed out{e.slo?.timeout && ` (budget ${(e.slo.timeout.limit * 100).toFixed(1)} %)`},{' '}
            </span>
          )}
          {formatRate(e.goodputRps)} rps succeed; latency is that of successful requests
        </p>
      ))}
    </>
  );
}
