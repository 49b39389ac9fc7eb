import { Handle, type NodeProps, Position } from '@xyflow/react';
import { type EndpointNodeData, type ServiceNodeData, utilizationClass } from './adapter.ts';

export function ServiceNode({ data }: NodeProps) {
  const d = data as ServiceNodeData;
  const cls = utilizationClass(d.utilization, d.saturated);
  return (
    <div className={`service-node ${cls}${d.bottleneck ? ' bottleneck' : ''}`} data-testid={`service-${d.name}`}>
      <Handle type="target" position={Position.Left} />
      <div className="service-name" title={d.name}>
        {d.name}
      </div>
      <div className="service-figures">
        <span data-testid={`util-${d.name}`} className="util-badge">
          {d.unavailable ? 'unavailable' : d.utilization === null ? 'ρ –' : `ρ ${d.utilization.toFixed(2)}`}
        </span>
        <span className="rps">{d.rps === null ? '' : `${formatRate(d.rps)} rps`}</span>
        <span className="replicas">×{d.replicas}</span>
      </div>
      <Handle type="source" position={Position.Right} />
    </div>
  );
}

export function BundleNode({ data }: NodeProps) {
  const d = data as { label: string; replicas: number };
  return (
    <div className="bundle-node" data-testid={`bundle-${d.label}`}>
      <div className="bundle-label">
        {d.label} <span className="muted">· {d.replicas} replicas</span>
      </div>
    </div>
  );
}

export function EndpointNode({ data }: NodeProps) {
  const d = data as EndpointNodeData;
  return (
    <div className={`endpoint-node ${d.kind}`}>
      <Handle type="target" position={Position.Left} />
      <span className="endpoint-kind">{d.kind === 'database' ? 'DB' : 'EXT'}</span> {d.label}
    </div>
  );
}

export function formatRate(rps: number): string {
  if (rps >= 10_000) return `${(rps / 1000).toFixed(0)}k`;
  if (rps >= 1000) return `${(rps / 1000).toFixed(1)}k`;
  return rps >= 100 ? rps.toFixed(0) : rps.toFixed(1);
}

export const nodeTypes = { service: ServiceNode, bundle: BundleNode, endpoint: EndpointNode };
