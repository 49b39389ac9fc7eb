/**
 * Bundles as they run (MODEL.md §4): which services share a process, and how many processes
 * (bundle replicas) run per zone. "One connection = one bundle replica" holds only when every
 * service of a process uses the same credentials: with per-service `.creds` files the newest
 * Microbus code opens one connection per service, and v1.x always does. So the grouping rests
 * on the best evidence there is, and says which:
 *
 * - `connection`: services subscribed on one connection are one process (the newest code pools
 *   a process's connections when its services share credentials).
 * - `client-ip`: connections from one client IP are one process when that IP is not shared
 *   with other processes, i.e. no service has two replicas on it (a Kubernetes pod has its own
 *   IP; processes on one host do not).
 * - `ids`: on a shared IP, connections opened within `TOGETHER_MS` of each other, each with a
 *   replica id of a different service, are one process: a process connects all its services at
 *   start-up, together.
 *
 * A bundle's evidence is the weakest any of its processes rests on.
 */
import { dict } from '../dict.ts';
import type { BundleEvidence, LiveBundle, LiveConnection, LiveInstance, LiveService } from './types.ts';

/** Connections opened this close together (ms) from one shared address count as one process. */
export const TOGETHER_MS = 1000;

interface Unit {
  key: string;
  ip: string | null;
  startedAt: number | null;
  members: Array<{ service: string; instance: LiveInstance }>;
}

interface Process {
  units: Unit[];
  evidence: BundleEvidence;
}

const STRENGTH: Record<BundleEvidence, number> = { ids: 0, 'client-ip': 1, connection: 2 };

export function inferBundles(services: readonly LiveService[], connections: readonly LiveConnection[]): LiveBundle[] {
  const connByKey = new Map(connections.map((c) => [c.key, c]));
  const units = new Map<string, Unit>();
  for (const s of services) {
    for (const i of s.instances) {
      const key = i.connection ?? `${s.name}/${i.id}`;
      const conn = i.connection ? connByKey.get(i.connection) : undefined;
      let u = units.get(key);
      if (!u) {
        u = { key, ip: conn?.ip ?? i.ip ?? null, startedAt: conn?.startedAt ?? null, members: [] };
        units.set(key, u);
      }
      u.members.push({ service: s.name, instance: i });
    }
  }
  const byIp = new Map<string, Unit[]>();
  const processes: Process[] = [];
  for (const u of units.values()) {
    const same = u.ip ? byIp.get(u.ip) : undefined;
    if (same) same.push(u);
    else if (u.ip) byIp.set(u.ip, [u]);
    else processes.push({ units: [u], evidence: 'connection' });
  }
  for (const group of byIp.values()) {
    const counts = new Map<string, number>();
    for (const u of group) for (const m of u.members) counts.set(m.service, (counts.get(m.service) ?? 0) + 1);
    const shared = [...counts.values()].some((n) => n > 1);
    if (!shared) {
      processes.push({ units: group, evidence: group.length > 1 ? 'client-ip' : 'connection' });
      continue;
    }
    processes.push(...togetherInTime(group));
  }

  // Services of one process are one bundle (union–find over processes).
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    const p = parent.get(x) ?? x;
    if (p === x) return x;
    const root = find(p);
    parent.set(x, root);
    return root;
  };
  for (const s of services) parent.set(s.name, s.name);
  for (const p of processes) {
    let first: string | null = null;
    for (const u of p.units) {
      for (const m of u.members) {
        if (first === null) first = m.service;
        else if (m.service !== first) parent.set(find(m.service), find(first));
      }
    }
  }
  const bundles = new Map<string, { services: Set<string>; processes: Process[] }>();
  for (const s of services) {
    const root = find(s.name);
    const b = bundles.get(root) ?? { services: new Set<string>(), processes: [] };
    b.services.add(s.name);
    bundles.set(root, b);
  }
  for (const p of processes) {
    const first = p.units[0]?.members[0]?.service;
    if (first) bundles.get(find(first))?.processes.push(p);
  }
  return [...bundles.values()]
    .map((b) => describe([...b.services].sort(), b.processes))
    .sort((a, b) => (a.services[0] as string).localeCompare(b.services[0] as string));
}

/**
 * Units on a shared IP. Connections opened together (within `TOGETHER_MS` of the first, no
 * service twice) are candidates; two services are one bundle only when they were opened
 * together every time either was, and at least twice: one coincidence proves nothing.
 */
function togetherInTime(group: readonly Unit[]): Process[] {
  const timed = group.filter((u) => u.startedAt !== null).sort((a, b) => (a.startedAt as number) - (b.startedAt as number));
  const out: Process[] = group.filter((u) => u.startedAt === null).map((u) => ({ units: [u], evidence: 'connection' as const }));
  const clusters: Array<{ units: Unit[]; names: Set<string> }> = [];
  let current: { units: Unit[]; names: Set<string> } | null = null;
  for (const u of timed) {
    const first = current?.units[0];
    const fits =
      current &&
      first &&
      (u.startedAt as number) - (first.startedAt as number) <= TOGETHER_MS &&
      u.members.every((m) => !current?.names.has(m.service));
    if (!fits || !current) {
      current = { units: [], names: new Set() };
      clusters.push(current);
    }
    current.units.push(u);
    for (const m of u.members) current.names.add(m.service);
  }
  // Services opened together every time (the same clusters), at least twice, are one bundle.
  const seenIn = new Map<string, number[]>();
  clusters.forEach((c, i) => {
    for (const n of c.names) {
      const xs = seenIn.get(n);
      if (xs) xs.push(i);
      else seenIn.set(n, [i]);
    }
  });
  const rootOf = new Map<string, string>();
  for (const [n, xs] of seenIn) rootOf.set(n, xs.length >= 2 ? xs.join(',') : `alone:${n}`);
  const find = (n: string) => rootOf.get(n) ?? n;
  for (const c of clusters) {
    const byRoot = new Map<string, Unit[]>();
    for (const u of c.units) {
      const root = find(u.members[0]?.service ?? u.key);
      const same = byRoot.get(root);
      if (same) same.push(u);
      else byRoot.set(root, [u]);
    }
    for (const units of byRoot.values()) out.push({ units, evidence: units.length > 1 ? 'ids' : 'connection' });
  }
  return out;
}

/** A process's zone: its own (a locality or metadata) when a replica says, else its server's. */
function zoneOf(p: Process): string | null {
  let fallback: string | null = null;
  for (const u of p.units) {
    for (const m of u.members) {
      if (!m.instance.zone) continue;
      if (m.instance.zoneSource !== 'server-tag') return m.instance.zone;
      fallback ??= m.instance.zone;
    }
  }
  return fallback;
}

function describe(services: string[], processes: Process[]): LiveBundle {
  const replicas: Record<string, number> = dict<number>();
  let unzoned = 0;
  for (const p of processes) {
    const z = zoneOf(p);
    if (z) replicas[z] = (replicas[z] ?? 0) + 1;
    else unzoned++;
  }
  const evidence = processes.reduce<BundleEvidence>((w, p) => (STRENGTH[p.evidence] < STRENGTH[w] ? p.evidence : w), 'connection');
  const names = services.join(' and ');
  const ipSet = new Set<string>();
  for (const p of processes) for (const u of p.units) if (u.ip) ipSet.add(u.ip);
  const ips = [...ipSet].sort();
  const ipText = ips.length > 3 ? `${ips.slice(0, 3).join(', ')}…` : ips.join(', ');
  let because: string;
  if (evidence === 'ids')
    because = `connections opened within ${TOGETHER_MS / 1000} s of each other from one shared address (${ipText}), one replica id per service, count as one process`;
  else if (evidence === 'client-ip')
    because = `each process has its own client IP (${ipText}) and no service runs twice on one, so its connections are one process`;
  else if (services.length > 1) because = `${names} share each process's NATS connection`;
  else because = 'one connection per replica, and no other service seen beside it';
  return { services, replicas, unzoned, evidence, because };
}
