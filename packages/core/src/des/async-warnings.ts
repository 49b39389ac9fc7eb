/**
 * The DES's warnings and headroom constraints of async messaging, on its measured figures: the
 * same codes, paths and conditions as the analytic engine's (engine/async-warnings.ts, the
 * engine README), so a design's warnings do not change with the method. `consumer-lagging`,
 * `ack-pending-limit`, `stream-limit-soon`, `stream-unavailable`, `publish-unheard`; each
 * consumer with deliveries is a `consumer:<stream>/<name>` constraint of headroom.
 */
import { at } from '../checked.ts';
import type { AsyncResult } from '../engine/async-types.ts';
import type { Binding, Warning } from '../engine/types.ts';
import { formatPath } from '../problems.ts';
import { subjectMatches } from '../schema/subjects.ts';
import type { Topology } from '../schema/topology.ts';
import type { AsyncPlan } from './async-tables.ts';

/** A consumer whose maxAckPending binds is warned about from this utilization (as the engine). */
const ACK_PENDING_RHO = 0.8;
const DAY = 86_400;

const duration = (s: number) => (s >= 3600 ? `${(s / 3600).toFixed(1)} h` : s >= 60 ? `${(s / 60).toFixed(0)} min` : `${s.toFixed(0)} s`);

export function asyncWarnings(doc: Topology, a: AsyncPlan, r: AsyncResult, serviceNames: readonly string[]): Warning[] {
  const out: Warning[] = [];
  const consumers = doc.consumers ?? [];
  for (const s of Object.values(r.streams))
    for (const c of Object.values(s.consumers)) {
      const k = consumers.findIndex((x) => x.name === c.name && x.stream === c.stream);
      const spec = consumers[k];
      if (!spec || c.deliverRps === 0) continue;
      const name = `${c.stream}/${c.name}`;
      if (!c.stable)
        out.push({
          code: 'consumer-lagging',
          path: formatPath(['consumers', k]),
          message: `consumer ${name} cannot keep up: ${c.deliverRps.toFixed(0)} deliveries/s need ${(c.utilization * c.concurrency).toFixed(1)} handlers busy, it has ${c.concurrency} (ρ ${c.utilization.toFixed(2)}); its lag grows without bound`,
        });
      if (c.ackPendingLimited && c.utilization >= ACK_PENDING_RHO) {
        const held =
          c.concurrency < spec.maxAckPending
            ? ` (failed messages hold ${(spec.maxAckPending - c.concurrency).toFixed(0)} of the slots until ackWait)`
            : '';
        out.push({
          code: 'ack-pending-limit',
          path: formatPath(['consumers', k, 'maxAckPending']),
          message: `consumer ${name}: maxAckPending ${spec.maxAckPending} caps it at ${c.concurrency} handlers at once${held}, fewer than its workers; it runs at ρ ${c.utilization.toFixed(2)}`,
        });
      }
    }
  (doc.streams ?? []).forEach((st, k) => {
    const s = r.streams[st.name];
    const place = a.streams[k];
    if (!s || !place) return;
    if (!place.up)
      out.push({
        code: 'stream-unavailable',
        path: formatPath(['streams', k, 'replicas']),
        message: `stream ${s.name} keeps ${place.replicas.length} of ${st.replicas} replicas, fewer than a quorum: publishes to it fail and its consumers receive nothing`,
      });
    if (s.timeToLimitSeconds !== null && s.timeToLimitSeconds < DAY && s.limit && s.limit !== 'maxAge')
      out.push({
        code: 'stream-limit-soon',
        path: formatPath(['streams', k, s.limit]),
        message: `stream ${s.name} reaches its ${s.limit} in ${duration(s.timeToLimitSeconds)}${st.retention === 'limits' ? ', then discards its oldest messages' : ''}`,
      });
  });
  a.subjects.forEach((subject, k) => {
    if (at(a.subjectStream, k) >= 0 || a.handlers.some((h) => subjectMatches(h.pattern, subject))) return;
    doc.services.forEach((svc, si) => {
      (svc.publishes ?? []).forEach((p, pi) => {
        if (p.subject === subject)
          out.push({
            code: 'publish-unheard',
            path: formatPath(['services', si, 'publishes', pi, 'subject']),
            message: `${serviceNames[si]} publishes on ${subject}, which no subscription and no stream receives: the events are lost`,
          });
      });
    });
  });
  return out;
}

/** Each consumer with deliveries as a headroom constraint (its handlers' utilization). */
export function consumerBindings(r: AsyncResult): Binding[] {
  return Object.values(r.streams).flatMap((s) =>
    Object.values(s.consumers).flatMap((c) =>
      c.deliverRps > 0
        ? [
            {
              constraint: 'consumer' as const,
              resource: `consumer:${c.stream}/${c.name}`,
              name: `${c.stream}/${c.name}`,
              zone: null,
              utilization: c.utilization,
            },
          ]
        : [],
    ),
  );
}
