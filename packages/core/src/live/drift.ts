/**
 * `computeDrift(doc, snapshot)`: every difference between a design and what runs, named so a
 * user can act on it — replicas missing or extra per zone, a queue group whose name differs
 * from the design (load balancing silently turned into fan-out), a designed service's subject
 * subscribed without a queue group (Microbus `:888` control subjects, `$SRV.*` and one-replica
 * `id-` slots excepted: they have none by design), versions that differ between instances, a
 * designed service not seen, a service seen that the design does not have.
 *
 * Micro services declare their own queue group (`q` by default); for them the drift is an
 * instance that disagrees with the others. Microbus and plain subjects must use the hostname.
 */
import type { Topology } from '../schema/topology.ts';
import { matchServices, serviceSubjects, zoneMapper } from './match.ts';
import { MICROBUS_CONTROL_PORT, parseMicrobusSubject } from './microbus.ts';
import type { LiveService, LiveSnapshot } from './types.ts';

export type DriftSeverity = 'error' | 'warning';

interface Base {
  severity: DriftSeverity;
  /** The designed service (or the live one, for `unknown-service`). */
  service: string;
  /** One sentence that says what differs and why it matters. */
  message: string;
  /** Where in the design document it lands, when it does. */
  path: string | null;
}

export type Drift = Base &
  (
    | { kind: 'missing-replicas' | 'extra-replicas'; bundle: string; zone: string; designed: number; live: number }
    | { kind: 'replicas-without-zone'; live: number }
    | { kind: 'queue-group-mismatch'; subjects: string[]; group: string; expected: string }
    | { kind: 'fan-out'; subject: string; groups: string[] }
    | { kind: 'no-queue-group'; subjects: string[]; servers: string[] }
    | { kind: 'version-mismatch'; versions: Record<string, number> }
    | { kind: 'service-not-seen' }
    | { kind: 'unknown-service'; liveKind: LiveService['kind']; instances: number }
  );

export type DriftKind = Drift['kind'];

type SnapshotLike = Pick<LiveSnapshot, 'services' | 'queueGroups' | 'unqueued'>;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A subject that must be load-balanced: not a control subject and not a one-replica slot. */
function balanced(subject: string): boolean {
  if (subject.startsWith('$SRV.') || subject.startsWith('$SYS.')) return false;
  const mb = parseMicrobusSubject(subject);
  return !mb || (mb.port !== MICROBUS_CONTROL_PORT && mb.slot.kind !== 'id');
}

export function computeDrift(doc: Topology, snapshot: SnapshotLike): Drift[] {
  const out: Drift[] = [];
  const { byDesign, unclaimed } = matchServices(doc, snapshot);
  const toDesignZone = zoneMapper(doc);
  const bundleOf = new Map<string, { name: string; index: number }>();
  doc.bundles.forEach((b, index) => {
    for (const s of b.services) bundleOf.set(s, { name: b.name, index });
  });
  doc.services.forEach((d, si) => {
    const live = byDesign.get(d.name) ?? null;
    const bundle = bundleOf.get(d.name);
    if (!live) {
      out.push({
        kind: 'service-not-seen',
        severity: 'error',
        service: d.name,
        path: `services[${si}]`,
        message: `${d.name} is designed but not seen: no $SRV reply, no Microbus subjects${d.endpoints?.length ? ' and no subscription to its endpoints' : ''}`,
      });
      return;
    }
    // Replicas per zone.
    const liveByZone = new Map<string, number>();
    let unzoned = 0;
    for (const i of live.instances) {
      if (!i.zone) unzoned++;
      else liveByZone.set(toDesignZone(i.zone), (liveByZone.get(toDesignZone(i.zone)) ?? 0) + 1);
    }
    if (bundle) {
      const b = doc.bundles[bundle.index];
      const zones = [...doc.zones.map((z) => z.name), ...[...liveByZone.keys()].filter((z) => !doc.zones.some((x) => x.name === z)).sort()];
      for (const zone of zones) {
        const designed = b?.replicas[zone] ?? 0;
        const seen = liveByZone.get(zone) ?? 0;
        if (designed === seen) continue;
        const known = doc.zones.some((z) => z.name === zone);
        out.push({
          kind: seen < designed ? 'missing-replicas' : 'extra-replicas',
          severity: seen < designed ? 'error' : 'warning',
          service: d.name,
          bundle: bundle.name,
          zone,
          designed,
          live: seen,
          path: known ? `bundles[${bundle.index}].replicas["${zone}"]` : `zones`,
          message:
            seen < designed
              ? `${d.name} has ${seen} of ${designed} designed replicas in ${zone}`
              : `${d.name} has ${plural(seen, 'replica')} in ${zone}, the design ${designed ? `has ${designed}` : known ? 'has none there' : 'has no such zone'}`,
        });
      }
    }
    if (unzoned) {
      out.push({
        kind: 'replicas-without-zone',
        severity: 'warning',
        service: d.name,
        live: unzoned,
        path: null,
        message: `${plural(unzoned, 'replica')} of ${d.name} ${unzoned === 1 ? 'has' : 'have'} no known zone: no loc- slot, no zone in its metadata, and its server has no az: tag`,
      });
    }
    out.push(...queueDrift(d.name, si, live, snapshot));
    if (live.versions.length > 1) {
      const versions: Record<string, number> = {};
      for (const i of live.instances) if (i.version) versions[i.version] = (versions[i.version] ?? 0) + 1;
      out.push({
        kind: 'version-mismatch',
        severity: 'warning',
        service: d.name,
        versions,
        path: null,
        message: `${d.name} runs ${live.versions.length} versions: ${Object.entries(versions)
          .map(([v, n]) => `${v} ×${n}`)
          .join(', ')}`,
      });
    }
  });
  for (const live of unclaimed) {
    out.push({
      kind: 'unknown-service',
      severity: 'warning',
      service: live.name,
      liveKind: live.kind,
      instances: live.instances.length,
      path: null,
      message: `${live.name} (${live.kind}, ${plural(live.instances.length, 'instance')}) runs but is not in the design`,
    });
  }
  return out.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) || a.service.localeCompare(b.service));
}

function subjectsText(subjects: string[]): string {
  return subjects.length === 1 ? (subjects[0] as string) : `${subjects[0]} and ${plural(subjects.length - 1, 'more subject')}`;
}

function queueDrift(name: string, si: number, live: LiveService, snapshot: SnapshotLike): Drift[] {
  const out: Drift[] = [];
  const subjects = [...new Set(serviceSubjects(snapshot, live).filter(balanced))].sort();
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
      service: name,
      subjects: bareSubjects,
      servers,
      path: `services[${si}]`,
      message: `${subjectsText(bareSubjects)} ${bareSubjects.length === 1 ? 'is' : 'are'} subscribed without a queue group (${plural(bareCount, 'subscription')} on ${servers.join(', ')}): every replica gets every request`,
    });
  }
  return out;
}
