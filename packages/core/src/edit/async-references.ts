/**
 * References of async messaging kept whole by renames and removals: a consumer names its stream
 * and its service; a stream names its NATS cluster; a publish's `ack` needs a stream that captures
 * its subject. Removing a stream takes its consumers with it and drops the acks nothing would
 * give any more (`streamRemoval` lists both, for a preview before the user confirms).
 */
import { subjectWithin } from '../schema/subjects.ts';
import type { TopologyInput } from '../schema/topology.ts';
import { dropLayout, renameKey } from './records.ts';
import { consumerRefName, layoutKey, type ServiceIn, splitConsumerRef } from './types.ts';

const consumerKey = (stream: string, name: string) => layoutKey({ kind: 'consumer', name: consumerRefName(stream, name) });

/** What removing a stream also changes: its consumers go, and publishes it acked lose `ack`. */
export interface StreamRemoval {
  consumers: string[];
  acks: { service: string; index: number; subject: string }[];
}

export function streamRemoval(doc: TopologyInput, stream: string): StreamRemoval {
  const consumers = (doc.consumers ?? []).filter((c) => c.stream === stream).map((c) => c.name);
  const others = (doc.streams ?? []).filter((s) => s.name !== stream).flatMap((s) => s.subjects);
  const acks: StreamRemoval['acks'] = [];
  for (const s of doc.services ?? []) {
    (s.publishes ?? []).forEach((p, index) => {
      if (p.ack && !others.some((o) => subjectWithin(p.subject.trim(), o))) acks.push({ service: s.name, index, subject: p.subject });
    });
  }
  return { consumers, acks };
}

export function renameStream(doc: TopologyInput, from: string, to: string): TopologyInput {
  const name = to.trim();
  const streams = doc.streams ?? [];
  if (name === from || !streams.some((s) => s.name === from)) return doc;
  const next: TopologyInput = {
    ...doc,
    streams: streams.map((s) => (s.name === from ? { ...s, name } : s)),
    consumers: doc.consumers?.map((c) => (c.stream === from ? { ...c, stream: name } : c)),
  };
  if (!next.consumers) delete next.consumers;
  if (next.layout) {
    let layout = renameKey(next.layout, layoutKey({ kind: 'stream', name: from }), layoutKey({ kind: 'stream', name }));
    for (const c of doc.consumers ?? []) if (c.stream === from) layout = renameKey(layout, consumerKey(from, c.name), consumerKey(name, c.name));
    next.layout = layout;
  }
  return next;
}

/** Renames a consumer within its stream; `to` is the consumer's own name (not `<stream>/<name>`). */
export function renameConsumer(doc: TopologyInput, refName: string, to: string): TopologyInput {
  const ref = splitConsumerRef(refName);
  const name = to.trim();
  if (!ref || name === ref.name) return doc;
  const consumers = doc.consumers ?? [];
  if (!consumers.some((c) => c.stream === ref.stream && c.name === ref.name)) return doc;
  const next: TopologyInput = { ...doc, consumers: consumers.map((c) => (c.stream === ref.stream && c.name === ref.name ? { ...c, name } : c)) };
  if (next.layout) next.layout = renameKey(next.layout, consumerKey(ref.stream, ref.name), consumerKey(ref.stream, name));
  return next;
}

export function removeConsumer(doc: TopologyInput, refName: string): TopologyInput {
  const ref = splitConsumerRef(refName);
  const consumers = doc.consumers ?? [];
  if (!ref || !consumers.some((c) => c.stream === ref.stream && c.name === ref.name)) return doc;
  return dropLayout(
    { ...doc, consumers: consumers.filter((c) => c.stream !== ref.stream || c.name !== ref.name) },
    consumerKey(ref.stream, ref.name),
  );
}

export function removeStream(doc: TopologyInput, name: string): TopologyInput {
  const streams = doc.streams ?? [];
  if (!streams.some((s) => s.name === name)) return doc;
  const { consumers, acks } = streamRemoval(doc, name);
  let next: TopologyInput = { ...doc, streams: streams.filter((s) => s.name !== name) };
  for (const c of consumers) next = removeConsumer(next, consumerRefName(name, c));
  if (acks.length) {
    next.services = next.services?.map((s) => {
      const mine = acks.filter((a) => a.service === s.name);
      if (!mine.length || !s.publishes) return s;
      return { ...s, publishes: s.publishes.map((p, i) => (mine.some((a) => a.index === i) ? withoutAck(p) : p)) };
    });
  }
  return dropLayout(next, layoutKey({ kind: 'stream', name }));
}

function withoutAck<T extends NonNullable<ServiceIn['publishes']>[number]>(p: T): T {
  const { ack: _, ...rest } = p;
  return rest as T;
}

/** A renamed service: consumers it runs follow it. */
export function renameServiceInAsync(doc: TopologyInput, from: string, to: string): TopologyInput {
  if (!doc.consumers?.some((c) => c.service === from)) return doc;
  return { ...doc, consumers: doc.consumers.map((c) => (c.service === from ? { ...c, service: to } : c)) };
}

/** A removed service: the consumers it ran go too (nothing would handle their messages). */
export function removeServiceFromAsync(doc: TopologyInput, service: string): TopologyInput {
  let next = doc;
  for (const c of doc.consumers ?? []) if (c.service === service) next = removeConsumer(next, consumerRefName(c.stream, c.name));
  return next;
}

/** A renamed NATS cluster: streams placed on it follow it. */
export function renameNatsInAsync(doc: TopologyInput, from: string, to: string): TopologyInput {
  if (!doc.streams?.some((s) => s.cluster === from)) return doc;
  return { ...doc, streams: doc.streams.map((s) => (s.cluster === from ? { ...s, cluster: to } : s)) };
}
