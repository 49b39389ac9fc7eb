/**
 * Streams and consumers (schema v3) on the logical canvas, fed from above (a stream usually hangs
 * under its publishers' bundle, a consumer under its stream). A stream is a log (striped edge,
 * teal); a consumer a pill with a dashed teal edge, its left border toned by ρ as a service's is.
 * Each hangs a `.node-badge` under itself: a stream its ingest and storage per day (and when it fills), a
 * consumer its lag and drain time after a burst or outage what-if, else its ρ.
 */
import { Handle, type NodeProps, Position } from '@xyflow/react';
import { memo } from 'react';
import './async-nodes.css';
import { utilizationClass } from './adapter.ts';
import type { ConsumerNodeData, StreamNodeData } from './async-flow.ts';
import { formatBytes, formatCount, formatDuration, formatRate } from './format.ts';

const DAY = 86_400;

export const StreamNode = memo(function StreamNode({ data, selected }: NodeProps) {
  const d = data as StreamNodeData;
  const fills = d.timeToLimitSeconds !== null;
  const tone = !fills ? '' : (d.timeToLimitSeconds ?? 0) < DAY ? 'tone-bad' : (d.timeToLimitSeconds ?? 0) < 7 * DAY ? 'tone-warn' : 'tone-ok';
  return (
    <div className={`stream-node${selected ? ' selected' : ''}`} data-testid={`stream-${d.name}`}>
      <Handle type="target" position={Position.Top} />
      <div className="async-title">
        <span className="async-kind">STREAM</span> <strong title={d.name}>{d.name}</strong>
      </div>
      <div className="async-detail" title={`captures ${d.subjects}`}>
        <code>{d.subjects}</code> · {d.detail}
      </div>
      {d.storageBytesPerDay !== null && (
        <div
          className={`node-badge async-badge ${tone}`}
          data-testid={`stream-storage-${d.name}`}
          title={`messages captured per second, and storage growth per replica per day${fills ? `; reaches its ${d.limit} in ${formatDuration(d.timeToLimitSeconds ?? 0)}` : ''}`}
        >
          {d.ingestRps !== null ? `${formatRate(d.ingestRps)} msg/s · ` : ''}
          {formatBytes(d.storageBytesPerDay)}/day{fills ? ` · full in ${formatDuration(d.timeToLimitSeconds ?? 0)}` : ''}
        </div>
      )}
      <Handle type="source" position={Position.Bottom} />
    </div>
  );
});

/** The badge's words and tone: lag and its drain time under a what-if, else ρ; red when it cannot keep up. */
export function consumerBadge(d: ConsumerNodeData): { text: string; tone: string; title: string } | null {
  if (d.utilization === null) return null;
  const rho = `ρ ${d.utilization.toFixed(2)}`;
  if (!d.stable)
    return {
      text: `falls behind · ${rho}`,
      tone: 'tone-bad',
      title: 'it cannot keep up: its lag grows without bound (more workers, replicas or maxAckPending)',
    };
  const tone = d.utilization >= 0.8 || d.ackPendingLimited ? 'tone-warn' : 'tone-ok';
  const limited = d.ackPendingLimited ? ' · ack-pending bound' : '';
  if (d.backlog !== null && d.lagDrainSeconds !== null)
    return {
      text: `lag ${formatCount(d.backlog)} · drains ${formatDuration(d.lagDrainSeconds)}`,
      tone: d.lagDrainSeconds > 600 ? 'tone-bad' : d.lagDrainSeconds > 60 ? 'tone-warn' : tone,
      title: `${formatCount(d.backlog)} messages behind after the what-if; drained in ${formatDuration(d.lagDrainSeconds)} at the spare rate (${rho})`,
    };
  const pending = d.meanPending === null ? '' : ` · pending ${formatCount(d.meanPending)}`;
  return { text: `${rho}${pending}${limited}`, tone, title: 'utilization of its handlers and the mean messages waiting for it (num_pending)' };
}

export const ConsumerNode = memo(function ConsumerNode({ data, selected }: NodeProps) {
  const d = data as ConsumerNodeData;
  const badge = consumerBadge(d);
  const cls = utilizationClass(d.utilization, !d.stable);
  return (
    <div className={`consumer-node ${cls}${selected ? ' selected' : ''}`} data-testid={`consumer-${d.stream}-${d.name}`}>
      <Handle type="target" position={Position.Top} />
      <div className="async-title">
        <span className="async-kind">CONSUMER</span> <strong title={`${d.stream} / ${d.name}`}>{d.name}</strong>
      </div>
      <div className="async-detail">{d.detail}</div>
      {badge && (
        <div className={`node-badge async-badge ${badge.tone}`} data-testid={`consumer-badge-${d.stream}-${d.name}`} title={badge.title}>
          {badge.text}
        </div>
      )}
      <Handle type="source" position={Position.Right} />
    </div>
  );
});
