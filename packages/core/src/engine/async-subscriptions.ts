/**
 * Core-NATS subscriptions' figures (schema v3, issue 18): copies delivered and publish → handled
 * latency: the hop from the publisher's replica to the subscriber's (cross-zone or cross-region
 * when they differ), the wait for one of the service's workers (shared with its requests:
 * async-queues.ts) and the handler's time; and the payload bytes its copies carry between zones
 * (async-flows.ts: the publishers' zones, the subscriber's replicas).
 */
import { type Lattice, mix, shift } from '../distribution/lattice.ts';
import type { AsyncFlows } from './async-flows.ts';
import type { AsyncModel } from './async-model.ts';
import { netCost } from './async-streams.ts';
import type { SubscriptionResult } from './async-types.ts';
import { summarize } from './compose.ts';
import type { Model } from './model.ts';
import type { Queues } from './queues.ts';
import { gammaOf, withWait } from './sojourn.ts';

export function subscriptionResults(model: Model, am: AsyncModel, flows: AsyncFlows, q: Queues, skip: boolean): SubscriptionResult[] {
  const Z = model.zones.length;
  return am.subscriptions.map((sub, i) => {
    const svc = model.services[sub.service];
    const f = flows.flow[i] as Float64Array;
    let deliver = 0;
    for (let j = 0; j < Z * Z; j++) deliver += f[j] as number;
    const b = flows.bytes[i] as Float64Array;
    let crossZone = 0;
    let crossRegion = 0;
    for (let z1 = 0; z1 < Z; z1++)
      for (let z2 = 0; z2 < Z; z2++) {
        if (z1 === z2) continue;
        if (model.zoneRegion[z1] === model.zoneRegion[z2]) crossZone += b[z1 * Z + z2] as number;
        else crossRegion += b[z1 * Z + z2] as number;
      }
    let reason: string | null = skip ? 'not composed (skipEndToEnd)' : null;
    let latencyMs: SubscriptionResult['latency']['latencyMs'] = null;
    if (!skip && deliver === 0) reason = 'no events reach it';
    if (!reason) {
      const parts: { weight: number; dist: Lattice }[] = [];
      for (let z2 = 0; z2 < Z && !reason; z2++) {
        let into = 0;
        for (let z1 = 0; z1 < Z; z1++) into += f[z1 * Z + z2] as number;
        if (into === 0) continue;
        const st = q.events?.stations[sub.service * Z + z2] ?? q.cls[sub.service * Z + z2];
        if (!st) continue;
        if (st.saturated) {
          reason = `${svc?.name} is saturated in ${model.zones[z2]} (ρ ${st.rho.toFixed(2)}): its events wait without bound`;
          break;
        }
        const handled = withWait(gammaOf(sub.serviceTimeMs, sub.serviceTimeCv), st);
        for (let z1 = 0; z1 < Z; z1++) {
          const w = f[z1 * Z + z2] as number;
          if (w > 0) parts.push({ weight: w, dist: shift(handled, netCost(model, z1, z2)) });
        }
      }
      if (!reason) latencyMs = summarize(mix(parts));
    }
    return {
      service: svc?.name ?? '',
      index: sub.index,
      subject: sub.pattern,
      delivery: sub.delivery,
      queueGroup: sub.group,
      deliverRps: deliver,
      crossZoneBytesPerSec: crossZone,
      crossRegionBytesPerSec: crossRegion,
      latency: { kind: 'subscription', handler: svc?.name ?? '', latencyMs, reason },
    };
  });
}
