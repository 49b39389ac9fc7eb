/** Entries whose requests are rejected somewhere on their path (bounded queues, schema v2): the share and what still succeeds. */
import type { SimulationResult } from '@busboard/core';
import { formatRate } from '../canvas/adapter.ts';

export function EntryRejections({ result }: { result: SimulationResult }) {
  const rows = Object.entries(result.entries).filter(([, e]) => e.rps > 0 && e.successRate < 0.9995 && e.latencyMs !== null);
  if (!rows.length) return null;
  return (
    <>
      {rows.map(([entry, e]) => (
        <p
          key={entry}
          className={`small ${e.slo?.rejection && !e.slo.rejection.met ? 'error' : 'warn-text'}`}
          data-testid={`entry-rejection-${entry}`}
        >
          {entry}: {((1 - e.successRate) * 100).toFixed(1)} % rejected, {formatRate(e.goodputRps)} rps succeed
          {e.slo?.rejection && ` (budget ${(e.slo.rejection.limit * 100).toFixed(1)} %)`}; latency is that of successful requests
        </p>
      ))}
    </>
  );
}
