/**
 * Pure helpers between a TimelineResult and the designer: the design as it stands at one
 * minute (for the canvas), the traffic peak, the what-if events, the minutes over SLO.
 */
import { clockOfDay, type TimelineEventT, type TimelineResult, type Topology } from '@busboard/core';

/** "07:03", or "d2 07:03" past the first day. */
export function hhmm(minute: number): string {
  const day = Math.floor(minute / 1440);
  return day ? `d${day + 1} ${clockOfDay(minute)}` : clockOfDay(minute);
}

/**
 * The design at `minute`: each traffic item at its rps × that minute's factor, each bundle's
 * replicas per zone the pods that serve then (ready), the zones failed then as the what-if's
 * failZones (their replicas stay as designed: the engine drops them). The engine run on it is
 * the timeline's minute without warm-up and left-over backlog (those two only show in the
 * timeline's own series).
 */
export function minuteDesign(doc: Topology, result: TimelineResult, minute: number): { doc: Topology; failZones: string[] } {
  const m = Math.max(0, Math.min(result.minutes - 1, Math.round(minute)));
  const failZones = result.series.failedZones[m] ?? [];
  const failed = new Set(failZones);
  const traffic = doc.traffic.map((t, i) => ({ ...t, rps: t.rps * (result.series.factors[i]?.[m] ?? 1) }));
  const bundles = doc.bundles.map((b) => {
    const s = result.series.bundles[b.name];
    if (!s) return b;
    const replicas = { ...b.replicas };
    for (const [zone, z] of Object.entries(s.zones)) if (!failed.has(zone)) replicas[zone] = z.ready[m] ?? replicas[zone] ?? 0;
    return { ...b, replicas };
  });
  return { doc: { ...doc, traffic, bundles }, failZones };
}

/** The traffic offered at `minute`: Σ rps × that minute's factor over the items. */
export function rpsAt(doc: Topology, result: TimelineResult, minute: number): number {
  let rps = 0;
  for (const [i, t] of doc.traffic.entries()) rps += t.rps * (result.series.factors[i]?.[minute] ?? 1);
  return rps;
}

/** The first minute with the most traffic (Σ rps × factor over the items): where "fails at the peak" strikes. */
export function peakMinute(doc: Topology, result: TimelineResult): number {
  let best = 0;
  let bestRps = -1;
  for (let m = 0; m < result.minutes; m++) {
    const rps = rpsAt(doc, result, m);
    if (rps > bestRps + 1e-9) {
      bestRps = rps;
      best = m;
    }
  }
  return best;
}

/** The document with what-if events added to its own timeline (sorted by minute; the document itself is not changed). */
export function withWhatIf(doc: Topology, whatIf: readonly TimelineEventT[]): Topology {
  if (!whatIf.length) return doc;
  return { ...doc, timeline: [...(doc.timeline ?? []), ...whatIf].sort((a, b) => a.atMinute - b.atMinute) };
}

/** Which minutes some entry misses its SLO, as [first, last] runs (for shading). */
export function missedRanges(result: TimelineResult): [number, number][] {
  const out: [number, number][] = [];
  const entries = Object.values(result.series.entries);
  let start = -1;
  for (let m = 0; m <= result.minutes; m++) {
    const missed = m < result.minutes && entries.some((e) => e.sloMet[m] === false);
    if (missed && start < 0) start = m;
    if (!missed && start >= 0) {
      out.push([start, m - 1]);
      start = -1;
    }
  }
  return out;
}

/**
 * The minutes the charts show: the whole day, or a window of `zoom` minutes around the cursor
 * whose start moves in quarter-window steps (scrubbing within it moves only the cursor).
 */
export function windowAround(minute: number, minutes: number, zoom: number): [number, number] {
  if (!zoom || zoom >= minutes) return [0, minutes - 1];
  const step = zoom / 4;
  const start = Math.max(0, Math.min(minutes - 1 - zoom, Math.floor((minute - zoom / 2) / step) * step));
  return [start, start + zoom];
}
