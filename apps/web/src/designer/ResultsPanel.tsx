/** The engine's verdict: headroom, bottleneck, each entry against its SLO, warnings. */

import { describeBinding, warningTitle } from '@busboard/core';
import { formatRate } from '../canvas/adapter.ts';
import { bottleneckNodeId, serviceId } from '../canvas/ids.ts';
import { CostSection } from '../cost/CostSection.tsx';
import { useDesign } from '../design/context.ts';
import { GoalSeekLink } from '../goal/GoalSeekButton.tsx';
import { describePath, pathToSelection } from '../lib/paths.ts';
import { CrossCheckSection, SimulatedSlo } from '../results/CrossCheckSection.tsx';
import { useView } from '../state/view.ts';
import { ResultsMinuteNote } from '../timeline/ResultsMinuteNote.tsx';
import { ClassResults } from './ClassResults.tsx';
import { EntryRejections } from './EntryRejections.tsx';
import { EventResults } from './EventResults.tsx';
import { useDesignWarnings } from './useDesignWarnings.ts';

/** A figure in a table whose header carries the unit. */
function num(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

export function ResultsPanel() {
  const { doc, result, entriesPending, entriesError, error, options, crossCheck } = useDesign();
  const { warnings, pending: recommending } = useDesignWarnings();
  if (error) return <p className="error panel-pad">The engine failed on this design: {error}</p>;
  if (!result) return <p className="muted panel-pad">No results.</p>;
  const select = (id: string | null) => id && useView.getState().focus([id]);
  const bottleneck = result.bottleneck;
  return (
    <div className="results" data-testid="results">
      <ResultsMinuteNote doc={doc} />
      {(options.scale !== 1 || (options.failZones?.length ?? 0) > 0 || options.async) && (
        <p className="whatif-note">
          What-if: traffic ×{(options.scale ?? 1).toFixed(2)}
          {options.failZones?.length ? `, ${options.failZones.join(', ')} failed` : ''}
          {options.async?.eventBurst ? `, a burst of ${options.async.eventBurst.toLocaleString('en-US')} events` : ''}
          {options.async?.consumerOutageSeconds ? `, consumers down ${options.async.consumerOutageSeconds} s` : ''}
        </p>
      )}
      <dl className="figures">
        <dt>Headroom</dt>
        <dd
          data-testid="headroom"
          className={result.headroom === null ? 'muted' : result.headroom < 1 ? 'error' : result.headroom < 1.3 ? 'warn' : ''}
          title="the traffic factor at which the first resource runs out: a service's workers, a bundle's CPU, a database shard or a NATS server"
        >
          {result.headroom === null ? 'no load' : `${result.headroom.toFixed(2)}×`}
        </dd>
        <dt>Bottleneck</dt>
        <dd data-testid="bottleneck">
          {bottleneck ? (
            <button
              type="button"
              className="link"
              title={result.binding ? `binds: ${describeBinding(result.binding)}` : undefined}
              onClick={() => select(bottleneckNodeId(bottleneck))}
            >
              {result.binding ? describeBinding(result.binding) : bottleneck}
            </button>
          ) : (
            'none'
          )}
        </dd>
        <dt>Cross-zone</dt>
        <dd>{formatRate(result.crossZoneRps)} calls/s</dd>
      </dl>
      <h3>Entries {entriesPending && <span className="muted small">updating…</span>}</h3>
      {entriesError && (
        <p className="error small" role="status" data-testid="entries-too-slow">
          End-to-end figures stopped: {entriesError}
        </p>
      )}
      {doc.traffic.length === 0 && <p className="muted small">No traffic: add some on an entry service.</p>}
      <table className="entries-table" data-testid="entries">
        <thead>
          <tr>
            <th>entry</th>
            <th>P50 ms</th>
            <th>P95 ms</th>
            <th>P99 ms</th>
            <th>SLO</th>
          </tr>
        </thead>
        <tbody>
          {[...new Set(doc.traffic.map((t) => t.entry))].map((entry) => {
            const e = result.entries[entry];
            const slo = e?.slo;
            const limit = (p: 'p50' | 'p95' | 'p99') => slo?.checks.find((c) => c.percentile === p);
            // ≈: outside the method's comfort zone (the cross-check below says why and checks it).
            const approx = e?.validity !== undefined && e.validity !== 'ok';
            const cell = (p: 'p50' | 'p95' | 'p99') => {
              const check = limit(p);
              const title = [check ? `SLO ${check.limitMs} ms` : '', approx ? 'approximate: see the cross-check below' : '']
                .filter(Boolean)
                .join('; ');
              return (
                <td className={check ? (check.met ? 'ok' : 'error') : ''} title={title || undefined}>
                  {e?.latencyMs ? `${approx ? '≈\u00a0' : ''}${num(e.latencyMs[p])}` : '—'}
                  {check && <span className="muted small"> /{check.limitMs}</span>}
                </td>
              );
            };
            return (
              <tr key={entry} data-testid={`entry-${entry}`}>
                <td>
                  <button type="button" className="link" onClick={() => select(serviceId(entry))}>
                    {entry}
                  </button>
                </td>
                {cell('p50')}
                {cell('p95')}
                {cell('p99')}
                <td className={slo ? (slo.met ? 'ok' : 'error') : 'muted'}>
                  {slo ? (slo.met ? 'met' : 'missed') : '—'}
                  <SimulatedSlo checks={slo?.checks} met={slo?.met} row={crossCheck.status === 'done' ? crossCheck.auto.entries[entry] : undefined} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {Object.entries(result.entries)
        .filter(([, e]) => e.latencyMs === null && e.reason)
        .map(([entry, e]) => (
          <p key={entry} className="error small" data-testid={`entry-reason-${entry}`}>
            {entry}: no latency — {e.reason}
          </p>
        ))}
      <EntryRejections result={result} />
      <EventResults doc={doc} result={result} />
      <ClassResults result={result} />
      <CrossCheckSection />
      <CostSection />
      <p className="small">
        <GoalSeekLink />
      </p>
      <h3>Warnings ({warnings.length})</h3>
      {warnings.length === 0 && <p className="muted small">None.</p>}
      <ul className="warnings" data-testid="warnings" data-settled={!recommending && !entriesPending}>
        {warnings.map((w) => (
          <li key={`${w.code}:${w.path}:${w.message}`} data-code={w.code}>
            <button
              type="button"
              className="warning"
              onClick={() => select(pathToSelection(doc, w.path))}
              title={`${w.code} at ${w.path}: select what it is about`}
            >
              <strong className="warning-title">{warningTitle(w.code)}</strong>
              <span className="warning-where">{describePath(doc, w.path)}</span> {w.message}
            </button>
          </li>
        ))}
      </ul>
      {result.brokers.length > 0 && (
        <>
          <h3>NATS servers</h3>
          <table className="entries-table">
            <thead>
              <tr>
                <th>server</th>
                <th title="messages per second through this server">traffic</th>
                <th title="share of the server's message capacity in use">load</th>
              </tr>
            </thead>
            <tbody>
              {result.brokers.map((b) => (
                <tr key={`${b.cluster}/${b.server}`} className={b.utilization >= 0.8 ? 'error' : ''}>
                  <td data-testid="results-nats-server">{b.server}</td>
                  <td>{formatRate(b.msgsPerSec)} msg/s</td>
                  <td>{(b.utilization * 100).toFixed(0)} %</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
