/**
 * The auto cross-check (issue 12, `busboard simulate FILE --method auto`): the analytic engine
 * first; where any figure's validity is not `ok`, a DES run of the same what-if, and for each
 * flagged figure both values and which one to trust.
 *
 * Which to trust (`trustOf`, pure):
 * - the analytic figure is `ok` → analytic (inside its method's comfort zone; no DES needed);
 * - the DES has no value for it → analytic (e.g. the run was cancelled before two replications);
 * - the DES pinned it to ±`precision` (99 % interval) → des: it is then the better estimate of
 *   the two, whatever the analytic figure says;
 * - the DES is looser but its interval excludes the analytic figure → des: the analytic figure is
 *   shown to be off, and the DES value is the best estimate at hand;
 * - otherwise → analytic (the DES cannot tell them apart, and the analytic figure is
 *   deterministic).
 */
import type { DesResult } from '../des/result.ts';
import { createDesRun } from '../des/run.ts';
import type { Topology } from '../schema/topology.ts';
import { simulate } from './simulate.ts';
import type { Percentiles, SimulationResult, Validity, ValidityNote } from './types.ts';

export type Trusted = 'des' | 'analytic';
export type FigureKey = 'mean' | 'p50' | 'p95' | 'p99';
const KEYS: readonly FigureKey[] = ['mean', 'p50', 'p95', 'p99'];

export interface AutoFigure {
  /** Where it sits in the result, e.g. `entries["front"].latencyMs.p99`. */
  path: string;
  analytic: number;
  validity: Validity;
  /** The DES value and its 99 % interval; null when the DES did not run or has none. */
  des: number | null;
  ci: [number, number] | null;
  trusted: Trusted;
  /** The trusted value. */
  value: number;
  /** Plain words: why this one. */
  why: string;
}

export interface AutoOptions {
  scale?: number;
  failZones?: string[];
  seed?: number | string;
  /** The DES's target: every entry P99 to ±precision (default 0.05). */
  precision?: number;
  /** Cap on DES requests (default 20,000,000). */
  requests?: number;
  /** Wall-clock budget for the DES in ms (needs `now`). */
  timeBudgetMs?: number;
  now?: () => number;
}

export interface AutoResult {
  method: 'auto';
  analytic: SimulationResult;
  /** The DES run, or null when every figure was `ok`. */
  des: DesResult | null;
  /** Every flagged figure (entries, then services), with both values and the verdict. */
  figures: AutoFigure[];
  /** Per entry with a latency: each figure, trusted value first (flagged or not). */
  entries: Record<string, Record<FigureKey, AutoFigure>>;
}

export function trustOf(
  analytic: number,
  validity: Validity,
  des: { value: number; ci: [number, number] } | null,
  precision: number,
): { trusted: Trusted; why: string } {
  if (validity === 'ok') return { trusted: 'analytic', why: 'inside its method’s comfort zone' };
  if (!des) return { trusted: 'analytic', why: 'the simulation has no figure for it (yet)' };
  const half = (des.ci[1] - des.ci[0]) / 2;
  const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
  if (half <= precision * Math.abs(des.value))
    return {
      trusted: 'des',
      why: `the simulation pins it to ±${((half / des.value) * 100).toFixed(1)} %; the analytic figure is an approximation here`,
    };
  if (analytic < des.ci[0] || analytic > des.ci[1])
    return { trusted: 'des', why: `the analytic figure lies outside the simulation’s 99 % interval [${fmt(des.ci[0])}, ${fmt(des.ci[1])}]` };
  return { trusted: 'analytic', why: `the simulation’s interval [${fmt(des.ci[0])}, ${fmt(des.ci[1])}] is too wide to overrule it` };
}

const flagged = (v: Validity | undefined): v is ValidityNote[] => v !== undefined && v !== 'ok';

/** True when some figure of an analytic result is outside its comfort zone (the DES is worth running). */
export function needsCrossCheck(r: SimulationResult): boolean {
  for (const e of Object.values(r.entries)) if (e.latencyMs && flagged(e.validity)) return true;
  for (const s of Object.values(r.services)) if (s.sojournMs && flagged(s.validity)) return true;
  return false;
}

/** Combines an analytic result and (optionally) a DES result of the same what-if: pure. */
export function combineAuto(analytic: SimulationResult, des: DesResult | null, precision = 0.05): Omit<AutoResult, 'method'> {
  const figures: AutoFigure[] = [];
  const entries: AutoResult['entries'] = {};
  const figure = (path: string, a: Percentiles, validity: Validity, d: Percentiles | null | undefined, k: FigureKey): AutoFigure => {
    const ci = d?.ci?.[k] ?? null;
    const dv = d ? d[k] : null;
    const sim = dv !== null && ci ? { value: dv, ci } : null;
    const t = trustOf(a[k], validity, sim, precision);
    return {
      path: `${path}.${k}`,
      analytic: a[k],
      validity,
      des: dv,
      ci,
      trusted: t.trusted,
      value: t.trusted === 'des' && dv !== null ? dv : a[k],
      why: t.why,
    };
  };
  for (const [name, e] of Object.entries(analytic.entries)) {
    if (!e.latencyMs) continue;
    const validity = e.validity ?? 'ok';
    const d = des?.entries[name]?.latencyMs;
    const row = {} as Record<FigureKey, AutoFigure>;
    for (const k of KEYS) {
      row[k] = figure(`entries[${JSON.stringify(name)}].latencyMs`, e.latencyMs, validity, d, k);
      if (validity !== 'ok') figures.push(row[k]);
    }
    entries[name] = row;
  }
  for (const [name, s] of Object.entries(analytic.services)) {
    if (!s.sojournMs || !flagged(s.validity)) continue;
    const d = des?.services[name]?.sojournMs;
    for (const k of KEYS) figures.push(figure(`services[${JSON.stringify(name)}].sojournMs`, s.sojournMs, s.validity, d, k));
  }
  return { analytic, des, figures, entries };
}

/** Analytic, then a DES where needed, then the verdicts (the CLI's `--method auto`). */
export function autoCrossCheck(doc: Topology, options: AutoOptions = {}): AutoResult {
  const analytic = simulate(doc, { scale: options.scale, failZones: options.failZones });
  const precision = options.precision ?? 0.05;
  let des: DesResult | null = null;
  if (needsCrossCheck(analytic)) {
    const run = createDesRun({
      doc,
      seed: options.seed ?? 1,
      precision,
      requests: options.requests ?? 20_000_000,
      scale: options.scale,
      failZones: options.failZones,
      ...(options.timeBudgetMs !== undefined && options.now ? { timeBudgetMs: options.timeBudgetMs, now: options.now } : {}),
    });
    des = run.runToEnd();
  }
  return { method: 'auto', ...combineAuto(analytic, des, precision) };
}
