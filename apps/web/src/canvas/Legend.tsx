/**
 * What the canvas's marks mean, in plain words: a "Legend" button in the canvas corner opens a
 * card (kept open across designs until closed). The colour bands are the ones the adapter uses
 * (`utilizationClass`): below 0.5, below 0.8, from 0.8, saturated.
 */
import { Panel } from '@xyflow/react';
import { useState } from 'react';

const ITEMS: readonly { mark: React.ReactNode; says: string }[] = [
  {
    mark: <b>ρ 0.62</b>,
    says: 'Utilization of the busiest replica: the share of time its workers are busy. Past about 0.8 queues grow fast; at 1 it cannot keep up.',
  },
  { mark: <span className="legend-bar util-low" />, says: 'ρ below 0.5: plenty of room.' },
  { mark: <span className="legend-bar util-mid" />, says: 'ρ from 0.5 to 0.8: busy, latency starts to climb.' },
  { mark: <span className="legend-bar util-high" />, says: 'ρ 0.8 or more, or saturated: the service is the one to give replicas or workers.' },
  { mark: <b>P99 12 ms</b>, says: 'Time one request spends at this service (waiting + working), 99 % of requests faster than this.' },
  { mark: <b>×8</b>, says: 'Replicas of the bundle the service runs in, across all zones.' },
  { mark: <b>1.2k rps</b>, says: 'Requests per second reaching the service.' },
  { mark: <b>hit 72%</b>, says: 'Share of requests the service’s cache answers without calling on.' },
  {
    mark: <span className="tag hot">hot</span>,
    says: 'Hot replica: some replicas run much hotter than the average (uneven zones or locality routing).',
  },
  {
    mark: <span className="tag bn band-high">bottleneck</span>,
    says: 'The first thing to saturate as traffic grows: headroom is measured against it. Marked only once it is at least 50 % busy (headroom under 2×): amber below ρ 0.8, red from 0.8.',
  },
  { mark: <b>2×</b>, says: 'On an arrow: calls the caller makes per request it serves.' },
  {
    mark: <span className="legend-event">- - 400/s</span>,
    says: 'A dashed teal arrow is an event, not a call: published into a stream, fanned out to a subscriber, or handed to a consumer. Its label: events per second.',
  },
  {
    mark: <span className="node-badge legend-badge">34 GiB/day</span>,
    says: 'Under a stream: messages per second it captures and its storage growth per replica per day; amber or red when it fills within a week or a day.',
  },
  {
    mark: <span className="node-badge legend-badge tone-warn">lag 20k · 22 s</span>,
    says: 'Under a consumer: its ρ and pending messages; after a burst or outage what-if, its lag and the time to drain it. Amber from ρ 0.8, red when it cannot keep up.',
  },
  {
    mark: <b>CPU 54%</b>,
    says: 'On a bundle: how much of each replica’s CPU its services use together. Grey below 50 %, amber from 50 %, red from 80 %.',
  },
];

export function Legend() {
  const [open, setOpen] = useState(false);
  return (
    <Panel position="top-right" className="legend-panel">
      <button type="button" aria-expanded={open} onClick={() => setOpen((o) => !o)} data-testid="legend-button">
        Legend
      </button>
      {open && (
        <dl className="legend" data-testid="legend" tabIndex={0} aria-label="Legend">
          {ITEMS.map((item) => (
            <div key={item.says} className="legend-row">
              <dt>{item.mark}</dt>
              <dd>{item.says}</dd>
            </div>
          ))}
          <div className="legend-row">
            <dt>
              <b>Headroom 1.7×</b>
            </dt>
            <dd>In Results: traffic can grow 1.7 times before the bottleneck saturates.</dd>
          </div>
          <div className="legend-row">
            <dt>
              <b>cv</b>
            </dt>
            <dd>Spread of service times: 0 every request takes the same time, 1 exponential (typical), above 1 a few requests are much slower.</dd>
          </div>
        </dl>
      )}
    </Panel>
  );
}
