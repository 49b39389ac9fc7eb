/**
 * Schema v3 cross-references of async messaging (issue 18): publishes, subscriptions, streams
 * and consumers, as JetStream itself would refuse them (overlapping stream subjects, a filter
 * outside its stream, more replicas than servers). Reads the raw input leniently, like crossCheck.
 */
import { type Add, field, type Loose, list, str, tooMany } from './lenient.ts';
import { LIMITS } from './limits.ts';
import { subjectsOverlap, subjectWithin } from './subjects.ts';

/** Servers of a NATS cluster: serversPerZone (default 1) in each zone of its region. */
function clusterServers(cluster: unknown, zones: unknown[]): number {
  const region = str(field(cluster, 'region'));
  const perZone = field(cluster, 'serversPerZone');
  const n = typeof perZone === 'number' ? perZone : 1;
  let count = 0;
  for (const z of zones) if (str(field(z, 'region')) === region) count += n;
  return count;
}

function checkPublishes(doc: Loose, streamSubjects: string[], add: Add): void {
  const svcs = list(doc.services);
  const captured = (subject: string) => streamSubjects.some((s) => subjectWithin(subject, s));
  for (let i = 0; i < svcs.length; i++) {
    const pubs = list(field(svcs[i], 'publishes'));
    const subs = list(field(svcs[i], 'subscribes'));
    tooMany(pubs.length, LIMITS.publishesPerService, `services[${i}].publishes`, 'publishes', add);
    tooMany(subs.length, LIMITS.publishesPerService, `services[${i}].subscribes`, 'subscriptions', add);
    for (let j = 0; j < pubs.length; j++) {
      const subject = str(field(pubs[j], 'subject'));
      if (subject && field(pubs[j], 'ack') === true && !captured(subject))
        add(
          `services[${i}].publishes[${j}].ack`,
          `no stream captures "${subject}", so nothing acks it (core NATS publishing is fire and forget): add a stream for it or remove ack`,
        );
    }
    for (let j = 0; j < subs.length; j++) {
      if (field(subs[j], 'queueGroup') !== undefined && field(subs[j], 'delivery') === 'replica')
        add(
          `services[${i}].subscribes[${j}].queueGroup`,
          'a queue group shares each event among its members, but delivery "replica" gives every replica its own copy: remove one of them',
        );
    }
  }
}

function checkStreams(doc: Loose, add: Add): { streams: Map<string, number>; subjects: string[] } {
  const streams = new Map<string, number>();
  const subjects: string[] = [];
  const items = list(doc.streams);
  const nats = list(doc.nats);
  const zones = list(doc.zones);
  tooMany(items.length, LIMITS.streams, 'streams', 'streams', add);
  const owners: { subject: string; stream: number; j: number }[] = [];
  for (let i = 0; i < items.length; i++) {
    const name = str(field(items[i], 'name'));
    if (name) {
      const first = streams.get(name);
      if (first !== undefined) add(`streams[${i}].name`, `duplicate stream "${name}" (also streams[${first}])`);
      else streams.set(name, i);
    }
    const subs = list(field(items[i], 'subjects'));
    for (let j = 0; j < subs.length; j++) {
      const s = str(subs[j]);
      if (!s) continue;
      const clash = owners.find((o) => subjectsOverlap(o.subject, s));
      if (clash)
        add(
          `streams[${i}].subjects[${j}]`,
          `"${s}" overlaps "${clash.subject}" of streams[${clash.stream}] (JetStream refuses overlapping stream subjects): narrow one of them`,
        );
      owners.push({ subject: s, stream: i, j });
      subjects.push(s);
    }
    const clusterName = str(field(items[i], 'cluster'));
    const cluster = clusterName === undefined ? nats[0] : nats.find((c) => str(field(c, 'name')) === clusterName);
    if (clusterName !== undefined && cluster === undefined) {
      add(`streams[${i}].cluster`, `no NATS cluster "${clusterName}" in nats[]`);
      continue;
    }
    if (cluster === undefined) {
      add(`streams[${i}]`, 'a stream needs a NATS cluster to run JetStream on: add one to nats[]');
      continue;
    }
    const replicas = field(items[i], 'replicas');
    const r = typeof replicas === 'number' ? replicas : 1;
    const servers = clusterServers(cluster, zones);
    if (r > servers)
      add(
        `streams[${i}].replicas`,
        `R${r} needs ${r} JetStream servers; NATS cluster "${str(field(cluster, 'name')) ?? ''}" has ${servers}: raise its serversPerZone or lower the replicas`,
      );
  }
  return { streams, subjects };
}

function checkConsumers(doc: Loose, streams: Map<string, number>, services: Set<string>, add: Add): void {
  const items = list(doc.consumers);
  const streamList = list(doc.streams);
  tooMany(items.length, LIMITS.consumers, 'consumers', 'consumers', add);
  const seen = new Map<string, number>();
  const workqueueFilters = new Map<string, { filter: string; i: number }[]>();
  for (let i = 0; i < items.length; i++) {
    const c = items[i];
    const name = str(field(c, 'name'));
    const stream = str(field(c, 'stream'));
    if (name && stream) {
      const key = `${stream}\u0000${name}`;
      const first = seen.get(key);
      if (first !== undefined) add(`consumers[${i}].name`, `duplicate consumer "${name}" of stream "${stream}" (also consumers[${first}])`);
      else seen.set(key, i);
    }
    const service = str(field(c, 'service'));
    if (service && !services.has(service)) add(`consumers[${i}].service`, `no service "${service}"`);
    if (!stream) continue;
    const si = streams.get(stream);
    if (si === undefined) {
      add(`consumers[${i}].stream`, `no stream "${stream}"`);
      continue;
    }
    const streamSubjects = list(field(streamList[si], 'subjects'))
      .map(str)
      .filter((s): s is string => !!s);
    const filter = str(field(c, 'filterSubject'));
    if (filter && !streamSubjects.some((s) => subjectWithin(filter, s)))
      add(
        `consumers[${i}].filterSubject`,
        `"${filter}" is not within stream "${stream}"'s subjects (${streamSubjects.map((s) => `"${s}"`).join(', ')}): JetStream would refuse the consumer`,
      );
    if (field(streamList[si], 'retention') === 'workqueue') {
      const others = workqueueFilters.get(stream) ?? [];
      const mine = filter ?? '>';
      const clash = others.find((o) => subjectsOverlap(o.filter, mine));
      if (clash)
        add(
          `consumers[${i}].filterSubject`,
          `stream "${stream}" is a work queue: each message goes to one consumer, so consumers' filters may not overlap (consumers[${clash.i}] has "${clash.filter}")`,
        );
      others.push({ filter: mine, i });
      workqueueFilters.set(stream, others);
    }
  }
}

/** Every problem of the v3 async fields; `services` is the set of service names. */
export function checkAsync(doc: Loose, services: Set<string>, add: Add): void {
  const { streams, subjects } = checkStreams(doc, add);
  checkPublishes(doc, subjects, add);
  checkConsumers(doc, streams, services, add);
}
