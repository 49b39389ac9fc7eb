/** Node components for both views. Kept light: a 1,000-node design pans at full frame rate. */
import { Handle, type NodeProps, Position } from '@xyflow/react';
import { memo } from 'react';
import './nodes.css';
import { ConsumerNode, StreamNode } from './AsyncNodes.tsx';
import {
  BOTTLENECK_SHOWN_FROM,
  type BundleNodeData,
  type EndpointNodeData,
  formatMs,
  formatRate,
  type LaneNodeData,
  type NatsNodeData,
  type ReplicaSetNodeData,
  type ServiceNodeData,
  utilizationClass,
} from './adapter.ts';

export const ServiceNode = memo(function ServiceNode({ data, selected }: NodeProps) {
  const d = data as ServiceNodeData;
  const cls = utilizationClass(d.utilization, d.saturated);
  const band = d.unavailable ? 'band-high' : bandClass(cls);
  const flags = `${d.bottleneck ? ` bottleneck ${band}` : ''}${d.unavailable ? ' unavailable' : ''}${d.flagged ? ' flagged' : ''}${selected ? ' selected' : ''}`;
  return (
    <div className={`service-node ${cls}${flags}`} data-testid={`service-${d.name}`}>
      <Handle type="target" position={Position.Left} />
      <div className="service-name" title={d.name}>
        {d.leastConnections && (
          <span className="tag lc" data-testid={`lc-${d.name}`} title="least connections: callers pick the replica holding the fewest requests">
            LC
          </span>
        )}
        {d.entry && (
          <span className="entry-mark" title="traffic enters here">
            ▶
          </span>
        )}
        {d.name}
      </div>
      <div className="service-figures">
        <span data-testid={`util-${d.name}`} className="util-badge" title="busiest replica's utilization (ρ)">
          {d.unavailable ? 'unavailable' : d.replicas === 0 ? 'no replicas' : d.utilization === null ? 'ρ –' : `ρ ${d.utilization.toFixed(2)}`}
        </span>
        <span data-testid={`p99-${d.name}`} className="p99-badge" title="P99 time in this service (queue + own time)">
          P99 {d.saturated ? 'saturated' : formatMs(d.p99)}
        </span>
        <span className="replicas" title="replicas">
          ×{d.replicas}
        </span>
      </div>
      <div className="service-sub">
        {d.rps !== null && <span className={d.classRejections?.length ? 'rate' : undefined}>{formatRate(d.rps)} rps</span>}
        {d.cacheHitRate !== null && <span title="cache hit rate">hit {(d.cacheHitRate * 100).toFixed(0)}%</span>}
        {d.classRejections?.map((c) => (
          <span
            key={c.name}
            className="tag rejects by-class"
            data-testid={`rejects-${d.name}-${c.name}`}
            title={`share of class ${c.name}'s requests rejected here: its admission limits or the queue were full`}
          >
            {(c.rate * 100).toFixed(c.rate < 0.01 ? 1 : 0)}% {c.name}
          </span>
        ))}
        {d.rejectionRate >= 0.0005 && !d.classRejections && (
          <span
            className="tag rejects"
            data-testid={`rejects-${d.name}`}
            title={
              d.capRejectionRate >= d.rejectionRate / 2
                ? 'share of its requests rejected: its in-flight cap was full'
                : 'share of its requests rejected: its queue limit was full'
            }
          >
            rejects {(d.rejectionRate * 100).toFixed(d.rejectionRate < 0.01 ? 1 : 0)}%{d.capRejectionRate >= d.rejectionRate / 2 ? ' · cap' : ''}
          </span>
        )}
        {d.timeoutRate >= 0.0005 && (
          <span
            className="tag rejects"
            data-testid={`timeouts-${d.name}`}
            title="share of its requests that time out here: their time budget ran out in its line, in service, or before a call could be sent"
          >
            times out {(d.timeoutRate * 100).toFixed(d.timeoutRate < 0.01 ? 1 : 0)}%
          </span>
        )}
        {d.hot && (
          <span className="tag hot" title="hot replica: some replicas run much hotter than the service's average">
            hot
          </span>
        )}
        {d.bottleneck && (
          <span className={`tag bn ${band}`} title={BOTTLENECK_TITLE}>
            bottleneck
          </span>
        )}
      </div>
      <Handle type="source" position={Position.Right} />
    </div>
  );
});

/** The tag's title states the rule the adapter applies (`BOTTLENECK_SHOWN_FROM`). */
const BOTTLENECK_TITLE = `bottleneck: the first thing to saturate as traffic grows (marked once it is at least ${BOTTLENECK_SHOWN_FROM * 100} % busy, headroom under 2×)`;

/** A mark's colour band: red from ρ 0.8 or saturated, amber from 0.5, none below (the legend's bands). */
function bandClass(utilClass: string): string {
  if (utilClass === 'util-high' || utilClass === 'util-sat') return 'band-high';
  if (utilClass === 'util-mid') return 'band-mid';
  return 'band-low';
}

export const BundleNode = memo(function BundleNode({ data, selected }: NodeProps) {
  const d = data as BundleNodeData;
  const cpuBand = d.cpuUtilization === null ? 'band-low' : bandClass(utilizationClass(d.cpuUtilization, d.cpuUtilization > 1));
  return (
    <div
      className={`bundle-node${selected ? ' selected' : ''}${d.dropTarget ? ' drop-target' : ''}${d.bottleneck ? ` bottleneck ${cpuBand}` : ''}`}
      data-testid={`bundle-${d.label}`}
    >
      <div className="bundle-label" title="drag to move the bundle">
        <span className="bundle-name">{d.label}</span>
        <span className="muted"> · {d.replicas} replicas</span>
      </div>
      <div className="zone-strip" data-testid={`bundle-zones-${d.label}`}>
        {d.zones.map((z) => (
          <span
            key={z.name}
            className={`zone-chip zone-${z.tint}${z.failed ? ' failed' : ''}`}
            title={`${z.name} (${z.region}): ${z.count} replica${z.count === 1 ? '' : 's'}${z.failed ? ', failed in this what-if' : ''}`}
          >
            {z.short} ×{z.count}
          </span>
        ))}
        {d.cpuUtilization !== null && (
          <span
            className={`bundle-cpu ${d.cpuUtilization > 1 ? 'cpu-over' : cpuBand === 'band-low' ? 'muted' : cpuBand}`}
            data-testid={`bundle-cpu-${d.label}`}
            title={`CPU of the busiest replica${d.bottleneck ? '; the bottleneck: this CPU runs out first (it bounds the headroom)' : ''}. Amber from 50 %, red from 80 %.`}
          >
            CPU {(d.cpuUtilization * 100).toFixed(0)}%
          </span>
        )}
      </div>
    </div>
  );
});

export const EndpointNode = memo(function EndpointNode({ data, selected }: NodeProps) {
  const d = data as EndpointNodeData;
  const cls = d.kind === 'database' ? utilizationClass(d.utilization, (d.utilization ?? 0) >= 1) : '';
  return (
    <div
      className={`endpoint-node ${d.kind} ${cls}${selected ? ' selected' : ''}${d.bottleneck ? ` bottleneck ${bandClass(cls)}` : ''}`}
      data-testid={`${d.kind}-${d.label}`}
    >
      <Handle type="target" position={Position.Left} />
      <span className="endpoint-kind">{d.kind === 'database' ? 'DB' : 'EXT'}</span> <strong>{d.label}</strong>
      <div className="endpoint-detail">{d.detail}</div>
    </div>
  );
});

export const LaneNode = memo(function LaneNode({ data, selected }: NodeProps) {
  const d = data as LaneNodeData;
  return (
    <div className={`lane-node zone-${d.tint}${d.failed ? ' failed' : ''}${selected ? ' selected' : ''}`} data-testid={`lane-${d.name}`}>
      <Handle type="target" id="in" position={Position.Top} />
      <Handle type="source" id="out" position={Position.Top} />
      <div className="lane-label">
        <strong>{d.name}</strong> <span className="muted">{d.region}</span>
        <div className="muted">{d.failed ? 'FAILED (what-if)' : `${d.replicas} replicas`}</div>
      </div>
    </div>
  );
});

export const ReplicaSetNode = memo(function ReplicaSetNode({ data, selected }: NodeProps) {
  const d = data as ReplicaSetNodeData;
  const cls = d.failed ? 'util-none' : utilizationClass(d.utilization, d.saturated);
  return (
    <div className={`replica-set ${cls}${selected ? ' selected' : ''}`} data-testid={`rs-${d.bundle}-${d.zone}`}>
      <span className="rs-name">{d.bundle}</span>
      <span className="count-badge" title="replicas in this zone">
        ×{d.count}
      </span>
      <div className="rs-figures">
        {d.failed ? 'gone' : d.utilization === null ? 'ρ –' : `max ρ ${d.utilization.toFixed(2)}`}
        {d.hot && !d.failed && <span className="tag hot">hot</span>}
      </div>
    </div>
  );
});

export const NatsNode = memo(function NatsNode({ data }: NodeProps) {
  const d = data as NatsNodeData;
  return (
    <div className="nats-node" title="NATS server" data-testid="nats-server" data-server={d.server}>
      NATS {d.server}
      {d.utilization !== null && <span className="muted"> · {(d.utilization * 100).toFixed(0)}%</span>}
    </div>
  );
});

export const nodeTypes = {
  service: ServiceNode,
  bundle: BundleNode,
  endpoint: EndpointNode,
  lane: LaneNode,
  replicaSet: ReplicaSetNode,
  nats: NatsNode,
  stream: StreamNode,
  consumer: ConsumerNode,
};
