/**
 * Warnings of async messaging (schema v3, issue 18), each with the document path to change:
 *
 * - `consumer-lagging`: a consumer whose handlers cannot keep up (ρ ≥ 1): its lag grows without bound (path: the consumer).
 * - `ack-pending-limit`: maxAckPending, not the workers, caps the consumer's concurrency and it
 *   runs at ρ ≥ 0.8 (or cannot keep up) where its workers alone would have room (path: its maxAckPending).
 * - `stream-limit-soon`: a stream reaches maxBytes or maxMsgs within a day of writes (path: that limit).
 * - `stream-unavailable`: a failed zone took a quorum of the stream's replicas: nothing is stored (path: its replicas).
 * - `publish-unheard`: a published subject no subscription and no stream receives (path: the publish's subject).
 */
import { formatPath } from '../problems.ts';
import type { ConsumerQueue } from './async-consumers.ts';
import type { AsyncFlows } from './async-flows.ts';
import type { AsyncModel } from './async-model.ts';
import type { StreamResult } from './async-types.ts';
import type { Model } from './model.ts';
import type { Warning } from './types.ts';

/** A consumer whose maxAckPending binds is warned about from this utilization. */
export const ACK_PENDING_RHO = 0.8;
const DAY = 86_400;

const duration = (s: number) => (s >= 3600 ? `${(s / 3600).toFixed(1)} h` : s >= 60 ? `${(s / 60).toFixed(0)} min` : `${s.toFixed(0)} s`);

export function asyncWarnings(model: Model, am: AsyncModel, flows: AsyncFlows, consumers: ConsumerQueue[], streams: StreamResult[]): Warning[] {
  const out: Warning[] = [];
  consumers.forEach((cq, ci) => {
    const c = am.consumers[ci];
    const r = cq.result;
    if (!c || r.deliverRps === 0) return;
    const name = `${r.stream}/${r.name}`;
    if (!r.stable && flows.up[c.stream])
      out.push({
        code: 'consumer-lagging',
        path: formatPath(['consumers', c.index]),
        message: `consumer ${name} cannot keep up: ${r.deliverRps.toFixed(0)} deliveries/s need ${(r.utilization * r.concurrency).toFixed(1)} handlers busy, it has ${r.concurrency} (ρ ${r.utilization.toFixed(2)}); its lag grows without bound`,
      });
    if (r.ackPendingLimited && r.utilization >= ACK_PENDING_RHO) {
      const workers =
        r.concurrency < c.maxAckPending ? ` (failed messages hold ${(c.maxAckPending - r.concurrency).toFixed(0)} of the slots until ackWait)` : '';
      out.push({
        code: 'ack-pending-limit',
        path: formatPath(['consumers', c.index, 'maxAckPending']),
        message: `consumer ${name}: maxAckPending ${c.maxAckPending} caps it at ${r.concurrency} handlers at once${workers}, fewer than its workers; it runs at ρ ${r.utilization.toFixed(2)}`,
      });
    }
  });
  streams.forEach((s, k) => {
    const st = am.streams[k];
    if (!st) return;
    if (!flows.up[k])
      out.push({
        code: 'stream-unavailable',
        path: formatPath(['streams', k, 'replicas']),
        message: `stream ${s.name} keeps ${flows.live[k]?.length ?? 0} of ${st.replicas} replicas, fewer than a quorum: publishes to it fail and its consumers receive nothing`,
      });
    if (s.timeToLimitSeconds !== null && s.timeToLimitSeconds < DAY && s.limit && s.limit !== 'maxAge')
      out.push({
        code: 'stream-limit-soon',
        path: formatPath(['streams', k, s.limit]),
        message: `stream ${s.name} reaches its ${s.limit} in ${duration(s.timeToLimitSeconds)}${st.retention === 'limits' ? ', then discards its oldest messages' : ''}`,
      });
  });
  for (const sm of am.subjects) {
    if (sm.stream >= 0 || sm.subscriptions.length > 0) continue;
    for (const p of sm.publishes)
      out.push({
        code: 'publish-unheard',
        path: formatPath(['services', p.service, 'publishes', p.index, 'subject']),
        message: `${model.services[p.service]?.name} publishes on ${p.subject}, which no subscription and no stream receives: the events are lost`,
      });
  }
  return out;
}
