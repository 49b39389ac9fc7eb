import { getExample, parseTopology, type Topology, timeline } from '@busboard/core';
import { describe, expect, it } from 'vitest';
import { hhmm, minuteDesign, missedRanges, peakMinute, windowAround, withWhatIf } from './minute.ts';

function checkout(): Topology {
  const parsed = parseTopology(getExample('checkout')?.doc);
  if (!parsed.ok) throw new Error('checkout does not parse');
  return parsed.doc;
}

describe('the timeline at a minute', () => {
  const doc = checkout();
  const r = timeline(doc, { policy: 'cpu', minutes: 480 });
  if (!r.ok) throw new Error('no timeline');
  const day = r.timeline;

  it('formats minutes as a clock, with the day past the first', () => {
    expect(hhmm(0)).toBe('00:00');
    expect(hhmm(423)).toBe('07:03');
    expect(hhmm(1440 + 61)).toBe('d2 01:01');
  });

  it('scales traffic by the minute factor and takes the ready pods as replicas', () => {
    // The checkout profile: 0.3 until 07:00, 1 from 07:03 (examples/checkout.ts).
    const night = minuteDesign(doc, day, 60).doc;
    expect(night.traffic[0]?.rps).toBeCloseTo(300 * 0.3, 9);
    const m = 430;
    const at = minuteDesign(doc, day, m).doc;
    expect(at.traffic[0]?.rps).toBeCloseTo(300, 9);
    const shop = at.bundles.find((b) => b.name === 'shop');
    const ready = Object.values(day.series.bundles.shop?.zones ?? {}).map((z) => z.ready[m]);
    expect(Object.values(shop?.replicas ?? {})).toEqual(ready);
    // The document itself is untouched.
    expect(doc.traffic[0]?.rps).toBe(300);
  });

  it('finds the first minute of the busiest traffic', () => {
    expect(peakMinute(doc, day)).toBe(423);
  });

  it('adds what-if events to a copy, in minute order', () => {
    const w = withWhatIf({ ...doc, timeline: [{ atMinute: 600, restoreZone: 'us-west-2a' }] }, [{ atMinute: 423, failZone: 'us-west-2a' }]);
    expect(w.timeline?.map((e) => e.atMinute)).toEqual([423, 600]);
    expect(withWhatIf(doc, [])).toBe(doc);
  });

  it('groups the minutes over SLO into runs', () => {
    const runs = missedRanges(day);
    const count = runs.reduce((s, [a, b]) => s + b - a + 1, 0);
    expect(count).toBe(day.totals.sloMinutesMissed);
  });

  it('zooms to a window that holds the cursor and moves in quarter steps', () => {
    expect(windowAround(500, 1440, 0)).toEqual([0, 1439]);
    expect(windowAround(423, 1440, 180)).toEqual([315, 495]);
    expect(windowAround(430, 1440, 180)).toEqual([315, 495]);
    expect(windowAround(10, 1440, 60)).toEqual([0, 60]);
    expect(windowAround(1439, 1440, 60)).toEqual([1379, 1439]);
    for (let m = 0; m < 1440; m += 7) {
      const [a, b] = windowAround(m, 1440, 180);
      expect(a <= m && m <= b && b - a === 180).toBe(true);
    }
  });
});
