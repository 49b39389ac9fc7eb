/**
 * Goodput against offered load (issue 17's chart): the design run at a sweep of traffic scales,
 * with its retries and without them, so the cliff and where shedding keeps goodput flat show.
 *
 * Per point: the requests offered at the entries, the goodput (requests that succeed AND have a
 * bounded latency: an unbounded queue past ρ 1 has no steady state, so nothing it serves counts —
 * that is the cliff; a bounded queue sheds the excess and keeps serving), the share of requests
 * that fail (rejected, or stuck behind a saturated queue), and the P99 of successful requests
 * (the worst entry's). Pure and deterministic: one analytic `simulate` per point.
 */
import type { Topology } from '../schema/topology.ts';
import { simulate } from './simulate.ts';

export interface GoodputPoint {
  scale: number;
  /** Requests per second offered at the entries (first attempts). */
  offeredRps: number;
  /** Requests per second that succeed with a bounded latency. */
  goodputRps: number;
  /** 1 − goodput ÷ offered: rejected, failed, or stuck behind a saturated queue. */
  failureRate: number;
  /** Share of the entries' requests rejected (1 − success, the entries' rejection budget's figure). */
  rejectionRate: number;
  /** The worst entry's P99 of successful requests, ms; null when some entry has no latency (saturated). */
  p99Ms: number | null;
  /** Some entry has no bounded latency at this scale (an unbounded queue at ρ ≥ 1). */
  saturated: boolean;
  /** The largest retry amplification over services (attempts ÷ the load without retries; 1 without retries). */
  amplification: number;
}

export interface GoodputSweep {
  /** The scales swept (the document's traffic × each). */
  scales: number[];
  /** The document as it is. */
  withRetries: GoodputPoint[];
  /** The same design with every retry removed; null when the document has none (the series would be the same). */
  withoutRetries: GoodputPoint[] | null;
  /** Where today's traffic sits (scale 1, or the scale asked for). */
  currentScale: number;
}

export interface GoodputOptions {
  /** Scales to run; default: `points` from 0 to max(2, 2.5 × the scale where the first replica saturates), capped at 20. */
  scales?: number[];
  points?: number;
  failZones?: readonly string[];
  /** The scale marked as current (default 1). */
  currentScale?: number;
}

/** The document with every `retries`, `backoffMs` and `backoffMultiplier` removed. */
export function withoutRetries(doc: Topology): Topology {
  const strip = <T extends { retries?: number | undefined; backoffMs?: number | undefined; backoffMultiplier?: number | undefined }>(x: T) => {
    const { retries: _r, backoffMs: _b, backoffMultiplier: _m, ...rest } = x;
    return rest as T;
  };
  return { ...doc, services: doc.services.map((s) => ({ ...s, calls: s.calls.map(strip) })), traffic: doc.traffic.map(strip) };
}

const hasRetries = (doc: Topology) =>
  doc.traffic.some((t) => (t.retries ?? 0) > 0) || doc.services.some((s) => s.calls.some((c) => (c.retries ?? 0) > 0));

function point(doc: Topology, scale: number, failZones: readonly string[] | undefined): GoodputPoint {
  const r = simulate(doc, { scale, ...(failZones ? { failZones: [...failZones] } : {}) });
  let offered = 0;
  let good = 0;
  let ok = 0;
  let p99: number | null = 0;
  let saturated = false;
  for (const e of Object.values(r.entries)) {
    offered += e.rps;
    ok += e.goodputRps;
    if (e.latencyMs) {
      good += e.goodputRps;
      if (p99 !== null) p99 = Math.max(p99, e.latencyMs.p99);
    } else {
      saturated ||= e.goodputRps > 0;
      p99 = null;
    }
  }
  let amplification = 1;
  for (const s of Object.values(r.services)) amplification = Math.max(amplification, s.retryAmplification ?? 1);
  return {
    scale,
    offeredRps: offered,
    goodputRps: good,
    failureRate: offered > 0 ? Math.max(0, 1 - good / offered) : 0,
    rejectionRate: offered > 0 ? Math.max(0, 1 - ok / offered) : 0,
    p99Ms: offered > 0 ? p99 : null,
    saturated,
    amplification,
  };
}

/** Goodput, failures and P99 of successes against offered load, with and without the document's retries. */
export function goodputSweep(doc: Topology, options: GoodputOptions = {}): GoodputSweep {
  const currentScale = options.currentScale ?? 1;
  let scales = options.scales;
  if (!scales) {
    const headroom = simulate(doc, {
      scale: currentScale,
      skipEndToEnd: true,
      ...(options.failZones ? { failZones: [...options.failZones] } : {}),
    }).headroom;
    const cliff = headroom && headroom > 0 ? headroom * currentScale : 1;
    const top = Math.min(20, Math.max(2 * currentScale, 2.5 * cliff));
    const n = Math.max(4, options.points ?? 25);
    scales = Array.from({ length: n }, (_, i) => (top * (i + 1)) / n);
    if (!scales.includes(currentScale)) scales = [...scales, currentScale].sort((a, b) => a - b);
  }
  const plain = hasRetries(doc) ? withoutRetries(doc) : null;
  return {
    scales,
    withRetries: scales.map((s) => point(doc, s, options.failZones)),
    withoutRetries: plain ? scales.map((s) => point(plain, s, options.failZones)) : null,
    currentScale,
  };
}
