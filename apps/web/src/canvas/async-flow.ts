/**
 * Async messaging on the logical canvas (schema v3): JetStream streams and consumers as nodes,
 * and event edges drawn apart from calls (dashed, labelled with their event rate): a publisher
 * into the stream that captures its subject, a publisher to each core-NATS subscription its
 * subject matches (fan-out), a stream to each consumer (hanging under it unless placed by hand,
 * fed from its lower edge) and a consumer to the service it runs on.
 * Figures come from `result.async` when the engine gives them.
 */
import { type ConsumerResult, type SimulationResult, type StreamResult, subjectMatches, type Topology } from '@busboard/core';
import { type Edge, MarkerType, type Node } from '@xyflow/react';
import { streamHosts } from '../layout/hosts.ts';
import { formatRate } from './format.ts';
import { CONSUMER_H, CONSUMER_W, consumerSlot, STREAM_H, STREAM_W } from './geometry.ts';
import { bundleId, consumerId, fanOutEdgeId, feedEdgeId, publishEdgeId, runEdgeId, serviceId, streamId } from './ids.ts';

export interface StreamNodeData extends Record<string, unknown> {
  name: string;
  subjects: string;
  detail: string;
  ingestRps: number | null;
  storageBytesPerDay: number | null;
  timeToLimitSeconds: number | null;
  limit: StreamResult['limit'];
}

export interface ConsumerNodeData extends Record<string, unknown> {
  name: string;
  stream: string;
  detail: string;
  deliverRps: number | null;
  utilization: number | null;
  stable: boolean;
  ackPendingLimited: boolean;
  meanPending: number | null;
  backlog: number | null;
  lagDrainSeconds: number | null;
}

type XY = { x: number; y: number };

const STREAM_SIZE = { width: STREAM_W, height: STREAM_H };
const CONSUMER_SIZE = { width: CONSUMER_W, height: CONSUMER_H };
const ARROW = { type: MarkerType.ArrowClosed, width: 14, height: 14 } as const;

interface AsyncFlowInput {
  doc: Topology;
  result: SimulationResult | null;
  selected: ReadonlySet<string>;
  auto: Readonly<Record<string, XY>>;
  /** Where the first node without a position goes (a column after the endpoints). */
  start: XY;
  /** Each service's bundle, to draw an event between two services of one bundle as in-process calls are. */
  bundleOf: ReadonlyMap<string, string>;
}

/** Events per second a service publishes on one of its `publishes[]` (its arrivals × perRequest), or null without figures. */
function publishRate(result: SimulationResult | null, service: string, perRequest: number): number | null {
  const r = result?.services[service];
  return r ? r.arrivalRps * perRequest : null;
}

function eventEdge(id: string, source: string, target: string, rate: number | null, extra: Partial<Edge> = {}): Edge {
  return {
    id,
    source,
    target,
    type: 'call',
    label: rate === null ? '' : `${formatRate(rate)}/s`,
    className: 'event',
    markerEnd: ARROW,
    selectable: false,
    focusable: false,
    data: { event: true },
    ...extra,
  };
}

export function toAsyncFlow({ doc, result, selected, auto, start, bundleOf }: AsyncFlowInput): { nodes: Node[]; edges: Edge[] } {
  const nodes: Node[] = [];
  const edges: Edge[] = [];
  const streams = doc.streams ?? [];
  const consumers = doc.consumers ?? [];
  const figures = result?.async;
  let y = start.y;
  const place = (id: string, h: number): XY => {
    const at = doc.layout?.[id] ?? auto[id] ?? { x: start.x, y };
    if (!doc.layout?.[id] && !auto[id]) y += h + 40;
    return at;
  };
  const streamAt = new Map<string, XY>();
  const { hosts } = streamHosts(doc);
  for (const s of streams) {
    const id = streamId(s.name);
    const r = figures?.streams[s.name];
    // Under its publishers' bundle (wherever that is) when auto-layout hung it there, unless placed by hand.
    const host = hosts.get(s.name);
    const hostAt = host ? (doc.layout?.[bundleId(host.bundle)] ?? auto[bundleId(host.bundle)]) : undefined;
    const at =
      doc.layout?.[id] ??
      (host && hostAt
        ? { x: hostAt.x + host.offset.x, y: hostAt.y + host.offset.y }
        : place(id, consumerSlot(consumers.filter((c) => c.stream === s.name).length).y));
    streamAt.set(s.name, at);
    nodes.push({
      id,
      type: 'stream',
      position: at,
      data: {
        name: s.name,
        subjects: s.subjects.join(' '),
        detail: `R${s.replicas} · ${s.storage} · ${s.retention}`,
        ingestRps: r?.ingestRps ?? null,
        storageBytesPerDay: r?.storageBytesPerDay ?? null,
        timeToLimitSeconds: r?.timeToLimitSeconds ?? null,
        limit: r?.limit ?? null,
      } satisfies StreamNodeData,
      selected: selected.has(id),
      measured: STREAM_SIZE,
    });
  }
  const slots = new Map<string, number>();
  for (const c of consumers) {
    const id = consumerId(c.stream, c.name);
    const r: ConsumerResult | undefined = figures?.streams[c.stream]?.consumers[c.name];
    // Under its stream (wherever that is) unless placed by hand.
    const slot = slots.get(c.stream) ?? 0;
    slots.set(c.stream, slot + 1);
    const under = streamAt.get(c.stream);
    const offset = consumerSlot(slot);
    nodes.push({
      id,
      type: 'consumer',
      position: doc.layout?.[id] ?? (under ? { x: under.x + offset.x, y: under.y + offset.y } : place(id, CONSUMER_H)),
      data: {
        name: c.name,
        stream: c.stream,
        detail: `${c.mode} · ${c.workers} worker${c.workers === 1 ? '' : 's'}${r ? ` · ${formatRate(r.deliverRps)}/s` : ''}${c.filterSubject ? ` · ${c.filterSubject}` : ''}`,
        deliverRps: r?.deliverRps ?? null,
        utilization: r?.utilization ?? null,
        stable: r?.stable ?? true,
        ackPendingLimited: r?.ackPendingLimited ?? false,
        meanPending: r?.meanPending ?? null,
        backlog: r?.backlog ?? null,
        lagDrainSeconds: r?.lagDrainSeconds ?? null,
      } satisfies ConsumerNodeData,
      selected: selected.has(id),
      measured: CONSUMER_SIZE,
    });
    // The feed is short (the consumer hangs under its stream): its rate reads in the consumer instead.
    edges.push(eventEdge(feedEdgeId(c.stream, c.name), streamId(c.stream), id, null));
    edges.push(eventEdge(runEdgeId(c.stream, c.name), id, serviceId(c.service), null));
  }
  for (const svc of doc.services) {
    (svc.publishes ?? []).forEach((p, i) => {
      const stream = streams.find((s) => s.subjects.some((pattern) => subjectMatches(pattern, p.subject)));
      if (stream)
        edges.push(
          eventEdge(publishEdgeId(svc.name, i, stream.name), serviceId(svc.name), streamId(stream.name), publishRate(result, svc.name, p.perRequest)),
        );
    });
  }
  edges.push(...fanOutEdges(doc, result, bundleOf));
  return { nodes, edges };
}

/** One edge from each publisher to each subscription its subjects match; the subscription's copies split by publish rate. */
function fanOutEdges(doc: Topology, result: SimulationResult | null, bundleOf: ReadonlyMap<string, string>): Edge[] {
  const edges: Edge[] = [];
  for (const sub of doc.services) {
    (sub.subscribes ?? []).forEach((s, j) => {
      const from = new Map<string, number>();
      for (const pub of doc.services) {
        for (const p of pub.publishes ?? []) {
          if (!subjectMatches(s.subject, p.subject)) continue;
          from.set(pub.name, (from.get(pub.name) ?? 0) + (publishRate(result, pub.name, p.perRequest) ?? 0));
        }
      }
      const total = [...from.values()].reduce((a, b) => a + b, 0);
      const delivered = result?.async?.subscriptions.find((x) => x.service === sub.name && x.index === j)?.deliverRps;
      for (const [publisher, rate] of from) {
        if (publisher === sub.name) continue;
        const shown = !result ? null : delivered !== undefined && total > 0 ? (delivered * rate) / total : rate;
        const inProcess = bundleOf.get(publisher) !== undefined && bundleOf.get(publisher) === bundleOf.get(sub.name);
        edges.push(
          eventEdge(fanOutEdgeId(publisher, sub.name, j), serviceId(publisher), serviceId(sub.name), shown, {
            className: inProcess ? 'event in-process' : 'event',
            data: { event: true, inProcess },
          }),
        );
      }
    });
  }
  return edges;
}
