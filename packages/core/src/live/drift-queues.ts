/**
 * Queue-group drift of one designed service: a subject served by several groups (fan-out), a
 * group named differently from the design, a subject subscribed without a group. Event-sink
 * subscriptions (under another service's hostname) are left out: several sinks of one event
 * each in their own group is how events reach every listener.
 */

import type { Drift, SnapshotLike } from './drift-types.ts';
import { serviceSubjects } from './match.ts';
import { parseMicrobusSubject } from './microbus-parse.ts';
import type { LiveService } from './types.ts';

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A subject that must be load-balanced: not a control subject and not a one-replica slot. */
function balanced(subject: string): boolean {
  if (subject.startsWith('$SRV.') || subject.startsWith('$SYS.')) return false;
  const mb = parseMicrobusSubject(subject);
  if (mb?.kind === 'response') return false;
  return !mb || (!mb.control && mb.slot.kind !== 'id');
}

export function subjectsText(subjects: string[]): string {
  return subjects.length === 1 ? (subjects[0] as string) : `${subjects[0]} and ${plural(subjects.length - 1, 'more subject')}`;
}

const NO_FIX = { fix: null, held: null } as const;

export function queueDrift(name: string, si: number, live: LiveService, snapshot: SnapshotLike): Drift[] {
  const out: Drift[] = [];
  const sinks = new Set(live.endpoints.filter((e) => e.source).map((e) => e.subject));
  const subjects = [...new Set(serviceSubjects(snapshot, live).filter((s) => balanced(s) && !sinks.has(s)))].sort();
  const declared = live.kind === 'micro' ? new Map(live.endpoints.map((e) => [e.subject, e.queueGroup])) : null;
  const mismatched = new Map<string, { expected: string; subjects: string[] }>();
  const bareSubjects: string[] = [];
  const bareServers = new Set<string>();
  let bareCount = 0;
  for (const subject of subjects) {
    const groups = [...new Set(snapshot.queueGroups.filter((g) => g.subject === subject).map((g) => g.group))].sort();
    if (groups.length > 1) {
      out.push({
        kind: 'fan-out',
        severity: 'error',
        ...NO_FIX,
        service: name,
        subject,
        groups,
        path: `services[${si}]`,
        message: `${subject} is served by ${groups.length} queue groups (${groups.join(', ')}): each group gets every message, so requests are handled ${groups.length} times`,
      });
    } else if (groups[0]) {
      const expected = declared ? (declared.get(subject) ?? groups[0]) : name;
      if (expected && groups[0] !== expected) {
        const key = `${groups[0]}\u0000${expected}`;
        const m = mismatched.get(key) ?? { expected, subjects: [] };
        m.subjects.push(subject);
        mismatched.set(key, m);
      }
    }
    const bare = snapshot.unqueued.find((u) => u.subject === subject);
    if (bare) {
      bareSubjects.push(subject);
      bareCount += bare.subscribers;
      for (const server of bare.servers) bareServers.add(server);
    }
  }
  for (const [key, m] of mismatched) {
    const group = key.split('\u0000')[0] as string;
    out.push({
      kind: 'queue-group-mismatch',
      severity: 'error',
      ...NO_FIX,
      service: name,
      subjects: m.subjects,
      group,
      expected: m.expected,
      path: `services[${si}].name`,
      message: `${subjectsText(m.subjects)} ${m.subjects.length === 1 ? 'uses' : 'use'} queue group "${group}", the design says "${m.expected}": a replica started with the designed name would get every message alongside it (fan-out, not load balancing)`,
    });
  }
  if (bareSubjects.length) {
    const servers = [...bareServers].sort();
    out.push({
      kind: 'no-queue-group',
      severity: 'error',
      ...NO_FIX,
      service: name,
      subjects: bareSubjects,
      servers,
      path: `services[${si}]`,
      message: `${subjectsText(bareSubjects)} ${bareSubjects.length === 1 ? 'is' : 'are'} subscribed without a queue group (${plural(bareCount, 'subscription')} on ${servers.join(', ')}): every replica gets every request`,
    });
  }
  return out;
}
