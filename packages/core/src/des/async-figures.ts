/**
 * What a replication measured of async messaging (des/events.ts, des/jetstream.ts), as ratio
 * figures with 99 % intervals (stats.ts `RatioFigures`), and the latency distributions of every
 * handler (sectioned, as the entries'). Read by named field, as figures.ts does.
 */
import { at } from '../checked.ts';
import { concurrencyOf } from './async-plan.ts';
import type { AsyncPlan } from './async-tables.ts';
import type { DesAsync } from './events.ts';
import type { DesPlan } from './plan.ts';
import { RatioFigures, SectionedDistribution } from './stats.ts';

export const CONSUMER_FIELD = {
  deliverRps: 0,
  redeliverRps: 1,
  utilization: 2,
  meanPending: 3,
  meanAckPending: 4,
  drainMs: 5,
  backlog: 6,
} as const;
const CONSUMER_FIELDS = 7;

export interface AsyncLayout {
  pub: number;
  entry: number;
  handler: number;
  /** Per handler: bytes per second crossing zones (2h) and regions (2h + 1). */
  handlerBytes: number;
  consumer: number;
  width: number;
}

function layoutOf(a: AsyncPlan, nEntries: number): AsyncLayout {
  const pub = 0;
  const entry = pub + a.pubs.length;
  const handler = entry + nEntries;
  const handlerBytes = handler + a.handlers.length;
  const consumer = handlerBytes + 2 * a.handlers.length;
  return { pub, entry, handler, handlerBytes, consumer, width: consumer + a.consumers.length * CONSUMER_FIELDS };
}

export const consumerFigure = (l: AsyncLayout, c: number, f: keyof typeof CONSUMER_FIELD) => l.consumer + c * CONSUMER_FIELDS + CONSUMER_FIELD[f];

/** The handlers' and consumers' latency distributions and the async ratio figures over the replications. */
export class AsyncStats {
  readonly layout: AsyncLayout;
  readonly ratios: RatioFigures;
  readonly handlers: SectionedDistribution[];
  readonly consumers: SectionedDistribution[];

  /** `group`: replications per section for a figure seen `share` times per recorded request. */
  constructor(
    readonly plan: DesPlan,
    group: (share: number) => number,
  ) {
    const a = plan.async as AsyncPlan;
    this.layout = layoutOf(a, plan.entryNames.length);
    this.ratios = new RatioFigures(this.layout.width);
    const ingress = plan.ingressRate * 1000;
    this.handlers = a.handlers.map((_, h) => new SectionedDistribution(group(at(a.handlerRps, h) / ingress)));
    this.consumers = a.consumers.map((c) => new SectionedDistribution(group((c.deliverRps * (1 - c.failureRate)) / ingress)));
  }

  /** The latency distributions that get samples (handlers that receive copies and keep up, stable consumers): the stopping rule waits for them too. */
  measuredLatencies(): SectionedDistribution[] {
    const a = this.plan.async as AsyncPlan;
    return [
      ...this.handlers.filter((_, h) => at(a.handlers, h).finite && at(a.handlerRps, h) > 0),
      ...this.consumers.filter((_, c) => at(a.consumers, c).rho < 1 && at(a.consumers, c).deliverRps > 0),
    ];
  }

  /** Hands the replication's histograms to the simulator. */
  attach(events: DesAsync): void {
    events.handlerHists = this.handlers.map((d) => d.current);
    events.consumers.hists = this.consumers.map((d) => d.current);
  }

  endReplication(events: DesAsync, measured: number, windowMs: number): void {
    const { plan, layout } = this;
    const num = new Float64Array(layout.width);
    const den = new Float64Array(layout.width);
    const set = (i: number, n: number, d: number) => {
      num[i] = n;
      den[i] = d;
    };
    const perSec = measured > 0 ? (plan.ingressRate * 1000) / measured : 0;
    const t = events.totals;
    const rates = (base: number, counts: Float64Array) => {
      for (let i = 0; i < counts.length; i++) set(base + i, at(counts, i) * perSec, 1);
    };
    rates(layout.pub, t.published);
    rates(layout.entry, t.entryPublished);
    rates(layout.handler, t.copies);
    for (let h = 0; h < t.copies.length; h++) {
      set(layout.handlerBytes + 2 * h, at(t.crossZoneBytes, h) * perSec, 1);
      set(layout.handlerBytes + 2 * h + 1, at(t.crossRegionBytes, h) * perSec, 1);
    }
    const ct = events.consumers.totals;
    (plan.async as AsyncPlan).consumers.forEach((c, k) => {
      if (!events.consumers.stable[k]) return;
      const f = (name: keyof typeof CONSUMER_FIELD) => consumerFigure(layout, k, name);
      set(f('deliverRps'), at(ct.delivered, k) * perSec, 1);
      set(f('redeliverRps'), at(ct.redelivered, k) * perSec, 1);
      set(f('utilization'), at(ct.areaBusy, k), windowMs * concurrencyOf(c).concurrency);
      set(f('meanPending'), at(ct.areaPending, k), windowMs);
      set(f('meanAckPending'), at(ct.areaAck, k), windowMs);
      if (at(ct.drainMs, k) >= 0) {
        set(f('drainMs'), at(ct.drainMs, k), 1);
        set(f('backlog'), at(ct.backlog, k), 1);
      }
    });
    this.ratios.add(num, den);
    for (const d of this.handlers) d.endReplication();
    for (const d of this.consumers) d.endReplication();
  }
}
