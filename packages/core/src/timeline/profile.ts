/**
 * Traffic profiles (schema v3 over time, over-time.ts): the factor × rps a traffic item sends
 * at a minute of the timeline. The 24-hour curve repeats each day; growth compounds over it.
 */
import type { TrafficProfileT } from '../schema/over-time.ts';
import type { Topology } from '../schema/topology.ts';

const DAY = 1440;
const MONTH = 30 * DAY;

function lerp(a: number, b: number, f: number): number {
  return a + (b - a) * f;
}

/** Linear between the points, wrapping around midnight. */
function pointsAt(points: { atMinute: number; factor: number }[], t: number): number {
  const sorted = [...points].sort((a, b) => a.atMinute - b.atMinute);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (!first || !last) return 1;
  if (sorted.length === 1) return first.factor;
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1] as (typeof sorted)[number];
    const b = sorted[i] as (typeof sorted)[number];
    if (t >= a.atMinute && t <= b.atMinute)
      return b.atMinute === a.atMinute ? b.factor : lerp(a.factor, b.factor, (t - a.atMinute) / (b.atMinute - a.atMinute));
  }
  // Across midnight: from the last point to the first one of the next day.
  const span = first.atMinute + DAY - last.atMinute;
  const into = t >= last.atMinute ? t - last.atMinute : t + DAY - last.atMinute;
  return span > 0 ? lerp(last.factor, first.factor, into / span) : first.factor;
}

/** The factor of a profile's 24-hour curve at minute `t` of the day (0 ≤ t < 1440). */
export function curveAt(p: TrafficProfileT, t: number): number {
  switch (p.shape) {
    case 'points':
      return pointsAt(p.points ?? [], t);
    case 'diurnal': {
      const trough = p.trough ?? 1;
      return trough + ((1 - trough) * (1 + Math.cos((2 * Math.PI * (t - (p.peakAt ?? 0))) / DAY))) / 2;
    }
    case 'peak': {
      const at = p.atMinute ?? 0;
      const end = at + (p.durationMinutes ?? 0);
      const ramp = p.rampMinutes ?? 0;
      const top = p.factor ?? 1;
      if (t >= at && t < end) return top;
      if (ramp > 0 && t >= at - ramp && t < at) return lerp(1, top, (t - (at - ramp)) / ramp);
      if (ramp > 0 && t >= end && t < end + ramp) return lerp(top, 1, (t - end) / ramp);
      return 1;
    }
    case 'ramp': {
      const from = p.from ?? 1;
      const to = p.to ?? 1;
      const start = p.startMinute ?? 0;
      const end = p.endMinute ?? start;
      if (t <= start) return from;
      if (t >= end) return to;
      return lerp(from, to, (t - start) / (end - start));
    }
    case 'step':
      return t < (p.atMinute ?? 0) ? (p.before ?? 1) : (p.after ?? 1);
  }
}

/** "07:03": the time of day of minute `minute` counted from the timeline's first midnight. */
export function clockOfDay(minute: number): string {
  const t = minute % DAY;
  return `${String(Math.floor(t / 60)).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`;
}

/** "07:03" on the first day, "day 2 07:03" after it. */
export function dayClock(minute: number): string {
  const day = Math.floor(minute / DAY);
  return `${day > 0 ? `day ${day + 1} ` : ''}${clockOfDay(minute)}`;
}

/** The factor at minute `minute` counted from the start of the timeline (its first midnight). */
export function profileFactor(p: TrafficProfileT | undefined, minute: number): number {
  if (!p) return 1;
  const day = ((minute % DAY) + DAY) % DAY;
  const growth = p.growthPerMonth ? (1 + p.growthPerMonth) ** (minute / MONTH) : 1;
  return curveAt(p, day) * growth;
}

/** Minutes the timeline runs: the most days any profile asks for (1 when none does). */
export function timelineMinutes(doc: Topology): number {
  let days = 1;
  for (const t of doc.traffic) days = Math.max(days, t.profile?.days ?? 1);
  return days * DAY;
}
