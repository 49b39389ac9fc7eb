/**
 * The async what-ifs (schema v3) in the what-if bar, shown when the design has consumers: a burst
 * of N events on every stream, and every consumer down for T seconds. Both feed
 * `SimulateOptions.async`; the consumers' lag and drain time then show on their badges.
 */
import { useDesign } from '../design/context.ts';
import { useView } from '../state/view.ts';

function WhatIfNumber({
  id,
  label,
  unit,
  value,
  step,
  testId,
  title,
  set,
}: {
  id: string;
  label: string;
  unit: string;
  value: number;
  step: number;
  testId: string;
  title: string;
  set(v: number): void;
}) {
  return (
    <span className="whatif-scale" title={title}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        className="whatif-number"
        min={0}
        step={step}
        value={value === 0 ? '' : value}
        placeholder="0"
        data-testid={testId}
        onChange={(e) => {
          const v = e.target.value.trim() === '' ? 0 : Number(e.target.value);
          if (Number.isFinite(v) && v >= 0) set(v);
        }}
      />
      <span className="muted">{unit}</span>
    </span>
  );
}

export function WhatIfEvents() {
  const { doc } = useDesign();
  const burst = useView((s) => s.eventBurst);
  const outage = useView((s) => s.consumerOutageSeconds);
  if (!(doc.consumers ?? []).length) return null;
  return (
    <span className="whatif-events" data-testid="whatif-events">
      <WhatIfNumber
        id="event-burst"
        label="Burst"
        unit="events"
        value={burst}
        step={1000}
        testId="burst-input"
        title="a burst of this many events arrives at once on every stream: each consumer's lag, and how long it takes to drain"
        set={(v) => useView.getState().setEventBurst(Math.floor(v))}
      />
      <WhatIfNumber
        id="consumer-outage"
        label="Consumers down"
        unit="s"
        value={outage}
        step={10}
        testId="outage-input"
        title="every consumer stops for this many seconds, then resumes: the lag it builds and how long it takes to drain"
        set={(v) => useView.getState().setConsumerOutage(v)}
      />
    </span>
  );
}
