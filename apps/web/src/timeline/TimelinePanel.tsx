/**
 * The timeline under the canvas (issue 19): a scrubber over the day, the policies shown, the
 * "zone fails at the peak" what-if, the day's charts and totals. Core computes the day in a
 * worker (useTimelineRun); the canvas shows the scrubbed minute (MinuteDesign).
 */
import type { TimelineResult, Topology } from '@busboard/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { formatMs } from '../canvas/adapter.ts';
import { hhmm, rpsAt, windowAround } from './minute.ts';
import { OWN, type PolicyKey, useTimeline } from './store.ts';
import { PLOT_LEFT, PLOT_RIGHT, TimelineCharts } from './TimelineCharts.tsx';
import { TimelineResizer } from './TimelineResizer.tsx';
import { TimelineTotalsTable } from './TimelineTotals.tsx';
import { cancelTimeline, useTimelineRun } from './useTimelineRun.ts';
import { WhatIfControls } from './WhatIfControls.tsx';
import './timeline.css';

export const policyName = (key: PolicyKey) => (key === OWN ? "bundles' own" : key);

export function TimelinePanel({ doc }: { doc: Topology }) {
  useTimelineRun(doc);
  const open = useTimeline((s) => s.open);
  const run = useTimeline((s) => s.run);
  const policy = useTimeline((s) => s.policy);
  const compare = useTimeline((s) => s.compare);
  const minute = useTimeline((s) => s.minute);
  const height = useTimeline((s) => s.height);
  const { setMinute, setPolicy, setCompare, toggle } = useTimeline.getState();
  const body = useRef<HTMLDivElement>(null);
  const width = useWidth(body, open && Boolean(run.results[0]));
  const days = run.results;
  const day = days[0];
  const minutes = day?.minutes ?? 1440;
  const pick = useCallback((m: number) => useTimeline.getState().setMinute(m), []);
  const [zoom, setZoom] = useState(0);
  const range = windowAround(Math.min(minute, minutes - 1), minutes, zoom);
  useEffect(() => {
    if (minute > minutes - 1) setMinute(minutes - 1);
  }, [minute, minutes, setMinute]);
  if (!open) return null;
  const policies = [OWN, ...(doc.autoscalePolicies ?? []).map((p) => p.name)];
  const names = [policyName(policy), ...(compare !== null ? [policyName(compare)] : [])];
  const chartWidth = Math.max(320, width - 300);
  // Wide enough for four charts of 270 px or more: one row of them (the panel's default height shows it whole).
  const columns = chartWidth >= 4 * 270 + 3 * 12 ? 4 : 2;
  return (
    <section
      className={height === null ? 'timeline' : 'timeline tl-sized'}
      style={height === null ? undefined : ({ '--tl-h': `${height}px` } as React.CSSProperties)}
      aria-label="Timeline over the day"
      data-testid="timeline"
    >
      <TimelineResizer />
      <header className="tl-head">
        <strong>Over the day</strong>
        {policies.length > 1 && (
          <>
            <label>
              policy{' '}
              <select value={policy} onChange={(e) => setPolicy(e.target.value)} data-testid="tl-policy">
                {policies.map((p) => (
                  <option key={p} value={p}>
                    {policyName(p)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              compare with{' '}
              <select
                value={compare ?? '\u0000'}
                onChange={(e) => setCompare(e.target.value === '\u0000' ? null : e.target.value)}
                data-testid="tl-compare"
              >
                <option value={'\u0000'}>nothing</option>
                {policies
                  .filter((p) => p !== policy)
                  .map((p) => (
                    <option key={p} value={p}>
                      {policyName(p)} (dashed)
                    </option>
                  ))}
              </select>
            </label>
          </>
        )}
        <label>
          show{' '}
          <select value={zoom} onChange={(e) => setZoom(Number(e.target.value))} data-testid="tl-zoom">
            <option value={0}>the whole day</option>
            <option value={180}>3 hours</option>
            <option value={60}>1 hour</option>
          </select>
        </label>
        <WhatIfControls doc={doc} day={day} />
        <RunState />
        <button type="button" className="tl-close" onClick={toggle} aria-label="Close the timeline (T)" title="Close the timeline (T)">
          ×
        </button>
      </header>
      <Scrubber minute={Math.min(minute, minutes - 1)} minutes={minutes} day={day} doc={doc} />
      <div className={run.status === 'running' ? 'tl-body tl-stale' : 'tl-body'} ref={body} aria-busy={run.status === 'running'}>
        {day ? (
          <>
            <div
              className="tl-plots"
              style={
                {
                  '--tl-cols': columns,
                  '--tl-cursor': `calc(${PLOT_LEFT}px + (100% - ${PLOT_LEFT + PLOT_RIGHT}px) * ${(Math.min(minute, minutes - 1) - range[0]) / Math.max(1, range[1] - range[0])})`,
                } as React.CSSProperties
              }
            >
              <TimelineCharts
                doc={doc}
                days={days}
                names={names}
                width={Math.floor((chartWidth - 12 * (columns - 1)) / columns)}
                range={range}
                onPick={pick}
              />
            </div>
            <TimelineTotalsTable days={days} names={names} />
          </>
        ) : (
          <p className="muted">{run.status === 'error' ? '' : 'Computing the day…'}</p>
        )}
      </div>
    </section>
  );
}

function RunState() {
  const run = useTimeline((s) => s.run);
  if (run.status === 'running')
    return (
      <span className="tl-run" data-testid="tl-running">
        <progress max={1} value={run.progress} aria-label="Computing the day" /> {Math.round(run.progress * 100)} %
        <button type="button" onClick={cancelTimeline}>
          Cancel
        </button>
      </span>
    );
  if (run.error)
    return (
      <span className={run.status === 'error' ? 'error tl-run' : 'muted tl-run'} role={run.status === 'error' ? 'alert' : undefined}>
        {run.error}
      </span>
    );
  if (run.elapsedMs !== null)
    return (
      <span className="muted tl-run" data-testid="tl-done">
        pointwise-stationary · {(run.elapsedMs / 1000).toFixed(1)} s
      </span>
    );
  return null;
}

/** The minute slider: ←/→ a minute, Shift+←/→ an hour, Home/End the day's ends. */
function Scrubber({ minute, minutes, day, doc }: { minute: number; minutes: number; day: TimelineResult | undefined; doc: Topology }) {
  const setMinute = useTimeline((s) => s.setMinute);
  const rps = day ? rpsAt(doc, day, minute) : null;
  const failed = day?.series.failedZones[minute] ?? [];
  const missed = day ? Object.entries(day.series.entries).filter(([, e]) => e.sloMet[minute] === false) : [];
  return (
    <div className="tl-scrub">
      <input
        type="range"
        min={0}
        max={minutes - 1}
        step={1}
        value={minute}
        aria-label="Minute of the day"
        aria-valuetext={hhmm(minute)}
        data-testid="tl-scrubber"
        onChange={(e) => setMinute(Number(e.target.value))}
        onKeyDown={(e) => {
          if (!e.shiftKey || (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight')) return;
          e.preventDefault();
          setMinute(Math.max(0, Math.min(minutes - 1, minute + (e.key === 'ArrowRight' ? 60 : -60))));
        }}
      />
      <output className="tl-clock" data-testid="tl-clock">
        {hhmm(minute)}
      </output>
      {day && (
        <span className="tl-now" data-testid="tl-now">
          {rps !== null && `${rps.toFixed(0)} rps`}
          {Object.entries(day.series.bundles).map(([b, s]) => {
            const n = s.replicas[minute] ?? 0;
            const ready = s.ready[minute] ?? 0;
            return (
              <span key={b}>
                {' '}
                · {b} {n}
                {ready !== n && <span className="muted"> ({ready} ready)</span>}
              </span>
            );
          })}
          {Object.entries(day.series.entries)
            .slice(0, 2)
            .map(([e, s]) => (
              <span key={e}>
                {' '}
                · {e} P99 {s.p99Ms[minute] == null ? '—' : formatMs(s.p99Ms[minute] as number)}
              </span>
            ))}
          {failed.length > 0 && <span className="error"> · {failed.join(', ')} down</span>}
          {missed.length > 0 && (
            <strong className="error" data-testid="tl-missed-now">
              {' '}
              · over SLO
            </strong>
          )}
          {day.series.stationary[minute] === false && (
            <span className="warn-text" title="A queue still draining or slow to settle: the figures understate the latency">
              {' '}
              · not stationary
            </span>
          )}
        </span>
      )}
    </div>
  );
}

function useWidth(ref: React.RefObject<HTMLElement | null>, shown: boolean): number {
  const [width, setWidth] = useState(900);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the element appears when `shown` turns true
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    setWidth(el.clientWidth);
    return () => ro.disconnect();
  }, [ref, shown]);
  return width;
}
