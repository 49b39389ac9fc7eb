/**
 * Calibrate a design from measurements (Prometheus, a rehearsal): the changes a user previews
 * and applies as one undoable edit. What changes, and from what:
 *
 * - traffic: the entry's measured request rate minus what designed callers send it; spread over
 *   zones by where the entry's instances served it when the instances' zones are known;
 * - `perRequest` of each call to a service: measured calls ÷ the caller's requests (÷ its misses);
 * - `serviceTimeMs` (and `serviceTimeCv` where the histogram allows): the own-time estimator;
 * - a cache's `zipf`: the α whose Che hit rate is the measured one (capacity and key space kept).
 *
 * A change smaller than 2 % is left out (noise); every figure left alone says why.
 */
import { cheHitRate } from '../cache/che.ts';
import { simulate } from '../engine/simulate.ts';
import type { TopologyInput } from '../schema/topology.ts';
import { parseTopology } from '../schema/validate.ts';
import { estimateOwnTimes, measuredHitRate, measuredPerRequest, type OwnTimeEstimate } from './estimate.ts';
import type { SystemMeasurements } from './measurements.ts';

export interface MeasuredChange {
  path: string;
  /** Numbers, or zone shares written out (`us-east-1a 0.4, …`). */
  from: number | string;
  to: number | string;
  reason: string;
}

export interface MeasuredCalibration {
  doc: TopologyInput;
  changes: MeasuredChange[];
  skipped: string[];
  estimates: Record<string, OwnTimeEstimate>;
}

const round = (x: number) => Number(x.toPrecision(4));
const differs = (a: number, b: number) => Math.abs(a - b) > 0.02 * Math.max(Math.abs(a), Math.abs(b));

/** The α whose Che hit rate at this capacity is `target` (bisection on [0, 3]). */
export function zipfForHitRate(keySpace: number, capacity: number, target: number): number | null {
  let lo = 0;
  let hi = 3;
  if (target <= cheHitRate(keySpace, lo, capacity) || target >= cheHitRate(keySpace, hi, capacity)) return null;
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    if (cheHitRate(keySpace, mid, capacity) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export function calibrateFromMeasurements(input: TopologyInput, m: SystemMeasurements): MeasuredCalibration {
  const parsed = parseTopology(input);
  if (!parsed.ok) throw new Error(`calibrate needs a valid design: ${parsed.problems[0]?.path}: ${parsed.problems[0]?.message}`);
  const doc = parsed.doc;
  const out = JSON.parse(JSON.stringify(input)) as TopologyInput; // documents are plain JSON
  const changes: MeasuredChange[] = [];
  const skipped: string[] = [];
  const change = (path: string, from: number, to: number, reason: string, apply: (v: number) => void) => {
    if (!differs(from, to)) return;
    apply(to);
    changes.push({ path, from, to, reason });
  };
  const services = out.services ?? [];

  // Calls per request, then traffic (which subtracts what callers send with the new counts).
  const hitOf = (name: string) => measuredHitRate(m.services[name]) ?? 0;
  const perRequest = new Map<string, number>();
  for (const [si, s] of doc.services.entries()) {
    for (const [ci, c] of s.calls.entries()) {
      const key = `${s.name}\u0000${ci}`;
      perRequest.set(key, c.perRequest);
      if (c.to.startsWith('db:') || c.to.startsWith('ext:')) continue;
      const measured = measuredPerRequest(m, s.name, c.to, hitOf(s.name));
      if (measured === null) {
        if (m.services[s.name]?.requestRps) skipped.push(`services[${si}].calls[${ci}] (${s.name} → ${c.to}): no calls measured`);
        continue;
      }
      // Several design calls to one service share what was measured, in proportion to the design.
      const designedTotal = s.calls.filter((x) => x.to === c.to).reduce((a, x) => a + x.perRequest, 0);
      const to = round((measured * c.perRequest) / designedTotal);
      perRequest.set(key, to);
      const call = services[si]?.calls?.[ci];
      change(
        `services[${si}].calls[${ci}].perRequest`,
        c.perRequest,
        to,
        `${s.name} made ${round(measured)} calls to ${c.to} per request${hitOf(s.name) > 0 ? ' (per cache miss)' : ''}`,
        (v) => {
          if (call) call.perRequest = v;
        },
      );
    }
  }

  for (const entry of [...new Set(doc.traffic.map((t) => t.entry))]) {
    const measured = m.services[entry]?.requestRps;
    if (!measured) {
      skipped.push(`traffic to ${entry}: no requests measured`);
      continue;
    }
    let fromCallers = 0;
    for (const s of doc.services) {
      const rate = m.services[s.name]?.requestRps ?? 0;
      for (const [ci, c] of s.calls.entries())
        if (c.to === entry) fromCallers += rate * (1 - hitOf(s.name)) * (perRequest.get(`${s.name}\u0000${ci}`) ?? c.perRequest);
    }
    const ingress = measured - fromCallers;
    if (ingress <= 0) {
      skipped.push(`traffic to ${entry}: every measured request came from designed callers`);
      continue;
    }
    const items = doc.traffic.map((t, i) => ({ t, i })).filter(({ t }) => t.entry === entry);
    const designed = items.reduce((a, { t }) => a + t.rps, 0);
    for (const { t, i } of items) {
      const to = round((ingress * t.rps) / designed);
      change(
        `traffic[${i}].rps`,
        t.rps,
        to,
        `${round(measured)} req/s measured at ${entry}${fromCallers > 0 ? `, ${round(fromCallers)} of them from designed callers` : ''}`,
        (v) => {
          const item = out.traffic?.[i];
          if (item) item.rps = v;
        },
      );
    }
    // Zone shares, from the zones of the instances that served the entry (ingress reaches the entry in its own zone).
    const byZone = new Map<string, number>();
    for (const [id, rps] of Object.entries(m.services[entry]?.instances ?? {})) {
      const zone = m.instanceZones[id];
      if (zone && doc.zones.some((z) => z.name === zone)) byZone.set(zone, (byZone.get(zone) ?? 0) + rps);
    }
    const zoneTotal = [...byZone.values()].reduce((a, b) => a + b, 0);
    if (items.length === 1 && zoneTotal > 0 && fromCallers === 0) {
      const [{ i, t }] = items as [{ i: number; t: (typeof items)[number]['t'] }];
      const shares = Object.fromEntries([...byZone].map(([z, r]) => [z, round(r / zoneTotal)]));
      const designedShares = t.zones ?? null;
      const even = !designedShares;
      const changed = even
        ? Object.values(shares).some((v) => differs(v, 1 / byZone.size))
        : Object.entries(shares).some(([z, v]) => differs(v, (designedShares[z] ?? 0) / Object.values(designedShares).reduce((a, b) => a + b, 0)));
      if (changed) {
        const item = out.traffic?.[i];
        if (item) item.zones = shares;
        const text = (z: Record<string, number>) =>
          Object.entries(z)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ');
        changes.push({
          path: `traffic[${i}].zones`,
          from: designedShares ? text(designedShares) : 'even over the entry’s zones',
          to: text(shares),
          reason: `where ${entry}'s instances served its requests`,
        });
      }
    }
  }

  // Own times, estimated against the design with the calibrated traffic and call counts.
  const predicted = (() => {
    const p = parseTopology(out);
    return p.ok ? simulate(p.doc, { skipEndToEnd: true }) : null;
  })();
  const estimates = estimateOwnTimes(doc, m, predicted);
  for (const [si, s] of doc.services.entries()) {
    const e = estimates[s.name];
    if (!e || e.ownTimeMs === null) {
      skipped.push(`services[${si}].serviceTimeMs (${s.name}): ${e?.notes[0] ?? 'no estimate'}`);
      continue;
    }
    const to = round(e.ownTimeMs);
    const how = s.calls.length
      ? `mean duration ${round(e.sojournMs ?? 0)} ms after ${round(e.downstreamMs)} ms of downstream calls`
      : `mean duration`;
    change(`services[${si}].serviceTimeMs`, s.serviceTimeMs, to, `${how}, less the queue at ρ ${round(e.utilization ?? 0)}`, (v) => {
      const svc = services[si];
      if (svc) svc.serviceTimeMs = v;
    });
    if (e.cv !== null) {
      change(`services[${si}].serviceTimeCv`, s.serviceTimeCv, round(e.cv), 'from the duration histogram', (v) => {
        const svc = services[si];
        if (svc) svc.serviceTimeCv = v;
      });
    }
    const hit = measuredHitRate(m.services[s.name]);
    if (s.cache && hit !== null) {
      const replicas = predicted?.services[s.name]?.replicas ?? 1;
      const capacity = s.cache.scope === 'perReplica' ? s.cache.entriesPerReplica : s.cache.entriesPerReplica * replicas;
      const zipf = zipfForHitRate(s.cache.keySpace, capacity, hit);
      if (zipf === null) skipped.push(`services[${si}].cache.zipf (${s.name}): a hit rate of ${round(hit)} is out of Che's reach at this capacity`);
      else
        change(`services[${si}].cache.zipf`, s.cache.zipf, round(zipf), `measured hit rate ${round(hit)} (Che's rate at this capacity)`, (v) => {
          const cache = services[si]?.cache;
          if (cache) cache.zipf = v;
        });
    }
  }
  return { doc: out, changes, skipped, estimates };
}
