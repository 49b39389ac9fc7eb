/**
 * Schema v3 async messaging compiled for the engine (issue 18): who publishes which subject,
 * which subscriptions and which stream receive it, the streams' replicas on the NATS servers,
 * and the consumers. Null for a document without async fields, so the per-edit path of such a
 * design pays one check and nothing else.
 */
import { subjectMatches } from '../schema/subjects.ts';
import type { Topology } from '../schema/topology.ts';
import { natsServerName } from './server-names.ts';

/** JetStream's file store writes 4 (length) + 8 (sequence) + 8 (timestamp) + 2 (subject length) + the subject + the payload + an 8-byte hash per message (nats-server filestore.go `fileStoreMsgSize`). */
export const FILE_RECORD_OVERHEAD = 30;
/** Its memory store counts 16 bytes (sequence and timestamp) + the subject + the payload (memstore.go `memStoreMsgSize`). */
export const MEMORY_RECORD_OVERHEAD = 16;

export interface PublishModel {
  service: number;
  /** Index in the service's `publishes[]`. */
  index: number;
  subject: string;
  perRequest: number;
  payloadBytes: number;
  ack: boolean;
  /** The stream capturing the subject (streams never overlap), or −1. */
  stream: number;
}

export interface SubscriptionModel {
  service: number;
  /** Index in the service's `subscribes[]`. */
  index: number;
  pattern: string;
  delivery: 'service' | 'replica';
  /** The queue group (its name, or the service's), null for `replica`. */
  group: string | null;
  serviceTimeMs: number;
  serviceTimeCv: number;
}

/** One NATS server that may hold a stream replica. */
export interface StreamServer {
  name: string;
  zone: number;
}

export interface StreamModel {
  index: number;
  name: string;
  subjects: string[];
  replicas: number;
  storage: 'file' | 'memory';
  retention: 'limits' | 'interest' | 'workqueue';
  maxAgeSeconds: number | null;
  maxBytes: number | null;
  maxMsgs: number | null;
  cluster: string;
  /** The servers holding its replicas, leader first (design placement, before any zone fails). */
  placement: StreamServer[];
}

export interface ConsumerModel {
  index: number;
  name: string;
  stream: number;
  service: number;
  filter: string | null;
  workers: number;
  maxAckPending: number;
  ackWaitMs: number;
  batch: number;
  serviceTimeMs: number;
  serviceTimeCv: number;
  failureRate: number;
}

/** One distinct published subject: its publications, stream and matching subscriptions. */
export interface SubjectModel {
  subject: string;
  publishes: PublishModel[];
  stream: number;
  /** Indices into `subscriptions` whose pattern matches it. */
  subscriptions: number[];
  /** Indices into `consumers` of its stream whose filter lets it through. */
  consumers: number[];
}

export interface AsyncModel {
  publishes: PublishModel[];
  subscriptions: SubscriptionModel[];
  streams: StreamModel[];
  consumers: ConsumerModel[];
  subjects: SubjectModel[];
}

/** Whether a document uses async messaging at all. */
export function usesAsync(doc: Topology): boolean {
  if ((doc.streams?.length ?? 0) > 0 || (doc.consumers?.length ?? 0) > 0) return true;
  for (const s of doc.services) if ((s.publishes?.length ?? 0) > 0 || (s.subscribes?.length ?? 0) > 0) return true;
  return false;
}

/**
 * Where a stream's replicas sit: the cluster's servers listed zone by zone for each server
 * index (`c-a-0, c-b-0, c-c-0, c-a-1, …`), and stream k takes R consecutive servers from
 * position k: R3 on three zones lands one replica per zone, and successive streams' leaders
 * rotate over the zones (what JetStream's placement aims for: spread replicas, balance leaders).
 */
export function placeStream(doc: Topology, zoneIndex: ReadonlyMap<string, number>, k: number, replicas: number, clusterName: string): StreamServer[] {
  const cluster = doc.nats.find((n) => n.name === clusterName);
  if (!cluster) return [];
  const zones = doc.zones.filter((z) => z.region === cluster.region);
  const ring: StreamServer[] = [];
  for (let i = 0; i < cluster.serversPerZone; i++)
    for (const z of zones) ring.push({ name: natsServerName(cluster.name, z.name, i), zone: zoneIndex.get(z.name) as number });
  const out: StreamServer[] = [];
  for (let j = 0; j < Math.min(replicas, ring.length); j++) out.push(ring[(k + j) % ring.length] as StreamServer);
  return out;
}

export function compileAsync(doc: Topology, serviceIndex: ReadonlyMap<string, number>, zoneIndex: ReadonlyMap<string, number>): AsyncModel | null {
  if (!usesAsync(doc)) return null;
  const streams: StreamModel[] = (doc.streams ?? []).map((st, k) => {
    const cluster = st.cluster ?? doc.nats[0]?.name ?? '';
    return {
      index: k,
      name: st.name,
      subjects: st.subjects,
      replicas: st.replicas,
      storage: st.storage,
      retention: st.retention,
      maxAgeSeconds: st.maxAgeSeconds ?? null,
      maxBytes: st.maxBytes ?? null,
      maxMsgs: st.maxMsgs ?? null,
      cluster,
      placement: placeStream(doc, zoneIndex, k, st.replicas, cluster),
    };
  });
  const streamOf = (subject: string) => streams.findIndex((st) => st.subjects.some((p) => subjectMatches(p, subject)));
  const publishes: PublishModel[] = [];
  const subscriptions: SubscriptionModel[] = [];
  doc.services.forEach((s, si) => {
    (s.publishes ?? []).forEach((p, j) => {
      publishes.push({
        service: si,
        index: j,
        subject: p.subject,
        perRequest: p.perRequest,
        payloadBytes: p.payloadBytes,
        ack: p.ack ?? false,
        stream: streamOf(p.subject),
      });
    });
    (s.subscribes ?? []).forEach((sub, j) => {
      const delivery = sub.delivery ?? 'service';
      subscriptions.push({
        service: si,
        index: j,
        pattern: sub.subject,
        delivery,
        group: delivery === 'replica' ? null : (sub.queueGroup ?? s.name),
        serviceTimeMs: sub.serviceTimeMs ?? s.serviceTimeMs,
        serviceTimeCv: sub.serviceTimeCv ?? s.serviceTimeCv,
      });
    });
  });
  const streamIndex = new Map(streams.map((st, k) => [st.name, k]));
  const consumers: ConsumerModel[] = [];
  (doc.consumers ?? []).forEach((c, i) => {
    const stream = streamIndex.get(c.stream);
    const service = serviceIndex.get(c.service);
    if (stream === undefined || service === undefined) return;
    const svc = doc.services[service];
    consumers.push({
      index: i,
      name: c.name,
      stream,
      service,
      filter: c.filterSubject ?? null,
      workers: c.workers,
      maxAckPending: c.maxAckPending,
      ackWaitMs: c.ackWaitMs,
      batch: c.batch,
      serviceTimeMs: c.serviceTimeMs ?? svc?.serviceTimeMs ?? 1,
      serviceTimeCv: c.serviceTimeCv ?? svc?.serviceTimeCv ?? 1,
      failureRate: c.failureRate ?? 0,
    });
  });
  const bySubject = new Map<string, SubjectModel>();
  for (const p of publishes) {
    let sm = bySubject.get(p.subject);
    if (!sm) {
      sm = {
        subject: p.subject,
        publishes: [],
        stream: p.stream,
        subscriptions: subscriptions.flatMap((sub, i) => (subjectMatches(sub.pattern, p.subject) ? [i] : [])),
        consumers: consumers.flatMap((c, i) => (c.stream === p.stream && (c.filter === null || subjectMatches(c.filter, p.subject)) ? [i] : [])),
      };
      bySubject.set(p.subject, sm);
    }
    sm.publishes.push(p);
  }
  return { publishes, subscriptions, streams, consumers, subjects: [...bySubject.values()] };
}

/** Bytes one stored message takes on a replica: the payload plus the store's record overhead and the subject. */
export function recordBytes(storage: 'file' | 'memory', subject: string, payloadBytes: number): number {
  return payloadBytes + subject.length + (storage === 'file' ? FILE_RECORD_OVERHEAD : MEMORY_RECORD_OVERHEAD);
}
