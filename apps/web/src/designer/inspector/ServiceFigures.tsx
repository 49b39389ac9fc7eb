/** What the engine says about one service: load, utilization, its own latency, its replicas. */
import { formatMs, formatRate } from '../../canvas/adapter.ts';
import { useDesign } from '../../design/context.ts';
import { Section } from './fields.tsx';

export function ServiceFigures({ name }: { name: string }) {
  const { result } = useDesign();
  const r = result?.services[name];
  if (!r) return null;
  return (
    <Section title="Figures">
      <dl className="figures" data-testid="service-figures">
        <dt>Arrivals</dt>
        <dd>{formatRate(r.arrivalRps)} rps</dd>
        <dt>ρ busiest / mean</dt>
        <dd className={r.saturated ? 'error' : ''}>
          {r.unavailable ? 'unavailable' : `${r.utilization.toFixed(2)} / ${r.meanUtilization.toFixed(2)}`}
          {r.saturated && ' · saturated'}
        </dd>
        <dt>P50 / P95 / P99</dt>
        <dd>{r.sojournMs ? `${formatMs(r.sojournMs.p50)} / ${formatMs(r.sojournMs.p95)} / ${formatMs(r.sojournMs.p99)}` : '—'}</dd>
        <dt>Replicas</dt>
        <dd>
          {r.replicas}
          {r.replicasNeeded > r.replicas && <span className="error"> · needs {r.replicasNeeded}</span>}
        </dd>
        {r.excessRps > 0 && (
          <>
            <dt>Excess</dt>
            <dd className="error">{formatRate(r.excessRps)} rps beyond capacity</dd>
          </>
        )}
        {r.cacheHitRate !== null && (
          <>
            <dt>Cache hit rate</dt>
            <dd>{(r.cacheHitRate * 100).toFixed(1)} %</dd>
          </>
        )}
        {r.timeoutRate !== undefined && (
          <>
            <dt>Timeouts</dt>
            <dd className={r.timeoutRate >= 0.01 ? 'error' : ''} data-testid="service-timeouts">
              {(r.timeoutRate * 100).toFixed(1)} % · {formatRate(r.timedOutRps ?? 0)} rps
            </dd>
            <dt>Wasted work</dt>
            <dd title="own time spent on requests that timed out here, in CPU-seconds per second (cores)">
              {(r.wastedWorkRate ?? 0).toFixed(2)} cores
            </dd>
          </>
        )}
        {r.inFlight && (
          <>
            <dt>In flight / replica</dt>
            <dd data-testid="service-in-flight">
              {r.inFlight.meanInFlight.toFixed(1)}
              {r.inFlight.maxInFlight !== null && ` of ${r.inFlight.maxInFlight} (${((r.inFlight.capUtilization ?? 0) * 100).toFixed(0)} %)`}
              {r.inFlight.routing === 'least-connections' && ' · least connections'}
            </dd>
            {r.inFlight.maxInFlight !== null && (
              <>
                <dt>Cap rejects</dt>
                <dd className={r.inFlight.capRejectionRate >= 0.01 ? 'error' : ''} data-testid="service-cap-rejects">
                  {r.inFlight.capRejectionRate < 0.0005
                    ? r.inFlight.capRejectionRate > 1e-9
                      ? '< 0.1'
                      : '0'
                    : (r.inFlight.capRejectionRate * 100).toFixed(1)}{' '}
                  % · {formatRate(r.inFlight.capRejectedRps)} rps
                </dd>
              </>
            )}
          </>
        )}
        <dt>Method</dt>
        <dd className="muted">{r.method}</dd>
      </dl>
      {r.replicasDetail.length > 0 && r.replicasDetail.length <= 64 && (
        <table className="replica-table">
          <thead>
            <tr>
              <th>replica</th>
              <th>rps</th>
              <th>ρ</th>
              <th>mean</th>
              {r.inFlight && <th title="requests held, admission to response">held</th>}
            </tr>
          </thead>
          <tbody>
            {r.replicasDetail.map((rep) => (
              <tr
                key={`${rep.zone}#${rep.index}`}
                className={rep.utilization >= 1 ? 'error' : rep.utilization > r.meanUtilization * 1.2 ? 'warn' : ''}
              >
                <td>
                  {rep.zone} #{rep.index + 1}
                </td>
                <td>{formatRate(rep.arrivalRps)}</td>
                <td>{rep.utilization.toFixed(2)}</td>
                <td>{formatMs(rep.sojournMeanMs)}</td>
                {r.inFlight && <td>{rep.meanInFlight === undefined ? '—' : rep.meanInFlight.toFixed(1)}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}
