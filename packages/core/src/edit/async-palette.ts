/**
 * Streams and consumers from the palette, valid the moment they land. A stream captures the
 * first published subject no stream captures yet (its first token and `>`), on the design's NATS
 * cluster (one is added when there is none). A consumer reads the given stream (else the newest,
 * else a new one) and runs on the given service (else a new worker service in a bundle of its own).
 */
import { subjectsOverlap, subjectWithin } from '../schema/subjects.ts';
import type { TopologyInput } from '../schema/topology.ts';
import type { Command } from './commands.ts';
import type { ConsumerIn, StreamIn, XY } from './types.ts';
import { uniqueName } from './unique.ts';

/** Where a consumer added with a new worker service puts that service's bundle, right of the consumer. */
const WORKER_OFFSET = { x: 220, y: -20 };

export function asyncPaletteCommand(
  doc: TopologyInput,
  kind: 'stream' | 'consumer',
  options: { position?: XY; stream?: string; service?: string },
): Command {
  if (kind === 'stream') return newStream(doc, options.position).command;
  const commands: Command[] = [];
  let stream = options.stream ?? doc.streams?.at(-1)?.name;
  let working = doc;
  if (!stream) {
    const added = newStream(doc, options.position && { x: options.position.x - 220, y: options.position.y });
    commands.push(added.command);
    stream = added.name;
    working = { ...doc, streams: [...(doc.streams ?? []), added.stream] };
  }
  let service = options.service;
  if (!service) {
    const worker = newWorker(working, options.position && { x: options.position.x + WORKER_OFFSET.x, y: options.position.y + WORKER_OFFSET.y });
    commands.push(...worker.commands);
    service = worker.name;
  }
  const base = service.split('.')[0] || 'worker';
  const consumer: ConsumerIn = {
    name: uniqueName(
      base,
      (working.consumers ?? []).filter((c) => c.stream === stream).map((c) => c.name),
    ),
    stream,
    service,
    mode: 'pull',
    durable: true,
    workers: 4,
    maxAckPending: 1000,
    ackWaitMs: 30_000,
    batch: 1,
  };
  commands.push({ type: 'addConsumer', consumer, position: options.position });
  return commands.length === 1 ? (commands[0] as Command) : { type: 'batch', commands };
}

function newStream(doc: TopologyInput, position: XY | undefined): { command: Command; name: string; stream: StreamIn } {
  const name = uniqueName(
    'EVENTS',
    (doc.streams ?? []).map((s) => s.name),
  );
  const stream: StreamIn = { name, subjects: [streamSubject(doc, name)], replicas: 1, storage: 'file', retention: 'limits' };
  const add: Command = { type: 'addStream', stream, position };
  if ((doc.nats ?? []).length > 0) return { command: add, name, stream };
  const region = doc.zones?.[0]?.region ?? 'region-1';
  return { command: { type: 'batch', commands: [{ type: 'addNats', nats: { name: 'nats', region, serversPerZone: 1 } }, add] }, name, stream };
}

/** The subjects a new stream captures: a published subject nothing captures yet, widened to its first token. */
export function streamSubject(doc: TopologyInput, name: string): string {
  const taken = (doc.streams ?? []).flatMap((s) => s.subjects);
  const free = (s: string) => !taken.some((t) => subjectsOverlap(t, s));
  for (const svc of doc.services ?? []) {
    for (const p of svc.publishes ?? []) {
      const subject = p.subject.trim();
      if (taken.some((t) => subjectWithin(subject, t))) continue;
      const wide = `${subject.split('.')[0]}.>`;
      if (subject.includes('.') && free(wide)) return wide;
      if (free(subject)) return subject;
    }
  }
  for (let i = 1; ; i++) {
    const subject = `${name.toLowerCase()}${i === 1 ? '' : i}.>`;
    if (free(subject)) return subject;
  }
}

function newWorker(doc: TopologyInput, position: XY | undefined): { commands: Command[]; name: string } {
  const name = uniqueName(
    'worker.example',
    (doc.services ?? []).map((s) => s.name),
  );
  const bundle = uniqueName(
    name.split('.')[0] ?? 'worker',
    (doc.bundles ?? []).map((b) => b.name),
  );
  const replicas = Object.fromEntries((doc.zones ?? []).map((z) => [z.name, 1]));
  return {
    name,
    commands: [
      { type: 'addBundle', bundle: { name: bundle, services: [], replicas, cpu: 1, memoryMiB: 256 }, position },
      { type: 'addService', service: { name, serviceTimeMs: 5, serviceTimeCv: 1, workers: 1, calls: [] }, bundle },
    ],
  };
}
