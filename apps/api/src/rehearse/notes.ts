/** Plain-language notes on a rehearsal's figures: what of the error is the emulator's, not the model's. */
import type { RehearsalPlan } from '@busboard/core';
import type { RehearsalReport } from './report.ts';

const f = (v: number, digits = 3) => Number(v.toPrecision(digits));

export function notesFor(plan: RehearsalPlan, r: RehearsalReport): string[] {
  const notes: string[] = [];
  const o = r.overhead;
  const k = plan.dilation;
  if (o.hopMs) {
    const excess = o.hopMs.measured - o.hopMs.designed;
    notes.push(
      `network cost per call: designed ${f(o.hopMs.designed)} ms, measured ${f(o.hopMs.measured)} ms in design time (${o.hopMs.calls} calls; ` +
        `raw NATS one-way ${o.natsOneWayUs.request === null ? '?' : f(o.natsOneWayUs.request)} µs request, ${o.natsOneWayUs.answer === null ? '?' : f(o.natsOneWayUs.answer)} µs answer on this machine, ÷${k} in design time)`,
    );
    if (excess > 0.1 * Math.max(o.hopMs.designed, 0.01))
      notes.push(
        `each call took ${f(excess)} ms longer than designed: the real hop does not shrink with dilation; a larger --dilation makes it smaller next to the design's costs`,
      );
  }
  notes.push(
    `timer error: waits fired ${f(o.timerLateMs.mean * 1000)} µs late on average (sd ${f(o.timerLateMs.sd * 1000)} µs) in design time over ${o.timerLateMs.count} waits`,
  );
  notes.push(
    `the emulator used ${f(o.cpuCores.total, 2)} cores (busiest process ${f(o.cpuCores.busiestProcess * 100, 2)} % of one) and moved ${Math.round(o.natsMsgsPerSec)} NATS messages/s`,
  );
  for (const [name, s] of Object.entries(r.measured.services)) {
    if (!s.ownTimeMs || s.ownTimeMs.drawnMean <= 0) continue;
    const drift = (s.ownTimeMs.mean - s.ownTimeMs.drawnMean) / s.ownTimeMs.drawnMean;
    if (Math.abs(drift) > 0.03) notes.push(`${name}: worker holds lasted ${f(drift * 100, 2)} % longer than drawn (timer error at this dilation)`);
  }
  for (const [name, e] of Object.entries(r.measured.entries)) {
    if (e.samples < 2000) notes.push(`${name}: ${e.samples} requests measured; a P99 from fewer than 2,000 is uncertain by about ±10 % (run longer)`);
    if (e.failed) notes.push(`${name}: ${e.failed} requests got no answer`);
  }
  const held = r.target.checks.filter((c) => c.held);
  const missed = held.filter((c) => !c.ok);
  if (missed.length)
    notes.push(`outside ±${r.target.tolerance * 100} %: ${missed.map((c) => `${c.figure} ${f((c.error ?? 0) * 100, 2)} %`).join(', ')}`);
  const skipped = r.target.checks.filter((c) => !c.held && c.reason);
  for (const reason of new Set(skipped.map((c) => c.reason))) notes.push(`not held to the target: ${reason}`);
  return notes;
}
