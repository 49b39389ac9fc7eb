/**
 * `busboard inspect`: one poll of a live cluster, printed as a summary or as JSON. The
 * credentials come from flags or the environment and are never printed.
 */
import { type BundleEvidence, computeDrift, type DriftKind, type LiveSnapshot, type Topology } from '@busboard/core';
import { Collector } from '../live/collector.ts';
import { type Auth, ConnectionInput, type LiveConnectionConfig } from '../live/config.ts';
import { type ParsedArgs, UsageError } from './args.ts';
import { loadDesign, printJsonFailure, printProblems } from './load.ts';

/**
 * The `inspect --json` contract (issue 7; `bundles` and, with `--design`, `drift` from issue 13).
 * Tests and users rely on it: add fields at the end, never rename or drop one.
 */
export interface InspectJson {
  source: string;
  collectedAt: string;
  servers: Array<{
    name: string;
    cluster: string;
    version: string;
    zone: string | null;
    up: boolean;
    routes: string[];
    gateways: string[];
    connections: number;
  }>;
  queueGroups: Array<{ subject: string; group: string; members: Array<{ server: string; cid: number; zone: string | null }> }>;
  services: Array<{
    name: string;
    kind: 'micro' | 'microbus';
    instances: Array<{ id: string; server: string | null; zone: string | null; version: string | null }>;
  }>;
  /** Services that run in one process, replicas per zone, and what the grouping rests on. */
  bundles: Array<{ services: string[]; replicas: Record<string, number>; evidence: BundleEvidence }>;
  /** With `--design FILE`: every difference from that design; empty when what runs matches. */
  drift?: Array<{ kind: DriftKind; message: string; path: string | null }>;
  /**
   * JetStream streams (issue 18), each with its consumers: the stream leader's figures, each
   * consumer's from its own leader. Empty when no server has JetStream; an ordinary user sees its
   * own account's (through `$JS.API`); absent when JetStream could not be read at all.
   */
  streams?: InspectStream[];
}

export interface InspectStream {
  name: string;
  account: string;
  subjects: string[];
  replicas: number;
  storage: 'file' | 'memory' | null;
  leader: string | null;
  /** Every server holding a copy, leader first. */
  servers: string[];
  messages: number;
  bytes: number;
  firstSeq: number;
  lastSeq: number;
  consumers: Array<{
    name: string;
    mode: 'pull' | 'push';
    numPending: number;
    numAckPending: number;
    numRedelivered: number;
    numWaiting: number;
    maxAckPending: number | null;
    ackWaitMs: number | null;
    leader: string | null;
  }>;
}

function inspectStreams(s: LiveSnapshot): InspectStream[] {
  return s.streams.map((x) => ({
    name: x.name,
    account: x.account,
    subjects: x.subjects,
    replicas: x.replicas,
    storage: x.storage,
    leader: x.leader,
    servers: x.peers.map((p) => p.server),
    messages: x.messages,
    bytes: x.bytes,
    firstSeq: x.firstSeq,
    lastSeq: x.lastSeq,
    consumers: x.consumers.map((c) => ({
      name: c.name,
      mode: c.mode,
      numPending: c.numPending,
      numAckPending: c.numAckPending,
      numRedelivered: c.numRedelivered,
      numWaiting: c.numWaiting,
      maxAckPending: c.maxAckPending,
      ackWaitMs: c.ackWaitMs,
      leader: c.leader,
    })),
  }));
}

export function inspectJson(s: LiveSnapshot, design: Topology | null = null): InspectJson {
  return {
    source: s.source,
    collectedAt: new Date(s.collectedAt).toISOString(),
    servers: s.servers.map((x) => ({
      name: x.name,
      cluster: x.cluster,
      version: x.version,
      zone: x.zone,
      up: x.up,
      routes: x.routes,
      gateways: x.gateways,
      connections: x.connections,
    })),
    queueGroups: s.queueGroups.map((g) => ({
      subject: g.subject,
      group: g.group,
      members: g.members.map((m) => ({ server: m.server, cid: m.cid, zone: m.zone })),
    })),
    services: s.services.map((x) => ({
      name: x.name,
      kind: x.kind,
      instances: x.instances.map((i) => ({ id: i.id, server: i.server, zone: i.zone, version: i.version })),
    })),
    bundles: s.bundles.map((b) => ({
      services: b.services,
      // Replicas without a zone count under "unknown": the sum is every process seen.
      replicas: b.unzoned ? { ...b.replicas, unknown: b.unzoned } : b.replicas,
      evidence: b.evidence,
    })),
    ...(design ? { drift: computeDrift(design, s).map((d) => ({ kind: d.kind, message: d.message, path: d.path })) } : {}),
    ...(s.jetstream?.read ? { streams: inspectStreams(s) } : {}),
  };
}

function last(args: ParsedArgs, flag: string): string | undefined {
  return args.flags.get(flag)?.at(-1);
}

function list(values: string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

export function inspectConfig(args: ParsedArgs, env: NodeJS.ProcessEnv): LiveConnectionConfig {
  const servers = list(args.flags.get('nats'));
  const monitorUrls = list(args.flags.get('monitor'));
  if (!servers.length && !monitorUrls.length)
    throw new UsageError('inspect needs --nats URL (with --user/--password, --token or --creds) or --monitor URL[,URL…]');
  const user = last(args, 'user');
  const creds = last(args, 'creds');
  const token = last(args, 'token') ?? (env.NATS_TOKEN || undefined);
  if ([user, creds, last(args, 'token')].filter(Boolean).length > 1) throw new UsageError('give one of --user, --token or --creds');
  let auth: Auth = { kind: 'none' };
  if (creds) auth = { kind: 'creds', credsFile: creds };
  else if (user) auth = { kind: 'user', user, password: last(args, 'password') ?? env.NATS_PASSWORD ?? '' };
  else if (token) auth = { kind: 'token', token };
  const timeoutText = last(args, 'timeout');
  const pollMs = timeoutText ? Number(timeoutText) : 2000;
  if (!Number.isFinite(pollMs) || pollMs < 250) throw new UsageError(`--timeout must be a number of milliseconds ≥ 250, got "${timeoutText}"`);
  const raw: Record<string, unknown> = { name: 'cli', servers, auth, monitorUrls, pollMs: Math.round(pollMs) };
  const ca = last(args, 'ca');
  if (ca) raw.tlsCaFile = ca;
  const parsed = ConnectionInput.safeParse(raw);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return { ...parsed.data, id: 'cli', origin: 'env' };
}

function pad(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function summary(s: LiveSnapshot, design: Topology | null): string {
  const out: string[] = [`source: ${s.sourceDetail}`, ''];
  out.push(
    pad([
      ['server', 'cluster', 'zone', 'version', 'state', 'conns', 'routes', 'gateways'],
      ...s.servers.map((x) => [
        x.name,
        x.cluster,
        x.zone ?? '-',
        x.version,
        x.up ? 'up' : `DOWN (${x.error})`,
        String(x.connections),
        x.routes.join(',') || '-',
        x.gateways.join(',') || '-',
      ]),
    ]),
  );
  if (s.services.length) {
    out.push('');
    out.push(
      pad([
        ['service', 'kind', 'replicas per zone', 'versions'],
        ...s.services.map((x) => {
          const zones = new Map<string, number>();
          for (const i of x.instances) zones.set(i.zone ?? '?', (zones.get(i.zone ?? '?') ?? 0) + 1);
          return [x.name, x.kind, [...zones].map(([z, n]) => `${z}×${n}`).join(' '), x.versions.join(',') || '-'];
        }),
      ]),
    );
  }
  if (s.bundles.length) {
    out.push('');
    out.push(
      pad([
        ['bundle (services)', 'replicas per zone', 'evidence'],
        ...s.bundles.map((b) => [
          b.services.join(', '),
          [...Object.entries(b.replicas).map(([z, n]) => `${z}×${n}`), ...(b.unzoned ? [`?×${b.unzoned}`] : [])].join(' '),
          b.evidence,
        ]),
      ]),
    );
  }
  if (s.streams?.length) {
    out.push('');
    out.push(
      pad([
        ['stream', 'replicas (servers)', 'subjects', 'messages', 'bytes', 'consumers: pending / ack pending / redelivered'],
        ...s.streams.map((x) => [
          x.name,
          `R${x.replicas} (${x.peers.map((p) => (p.leader ? `${p.server}*` : p.server)).join(',') || '-'})`,
          x.subjects.join(',') || '-',
          String(x.messages),
          String(x.bytes),
          x.consumers.map((c) => `${c.name} ${c.numPending}/${c.numAckPending}/${c.numRedelivered}`).join(', ') || '-',
        ]),
      ]),
    );
  }
  if (design) {
    const drift = computeDrift(design, s);
    out.push('');
    out.push(drift.length ? `drift against ${design.name}: ${drift.length}` : `no drift against ${design.name}: what runs matches the design`);
    for (const d of drift) out.push(`  ${d.severity} ${d.kind}${d.path ? ` at ${d.path}` : ''}: ${d.message}`);
  }
  for (const w of s.warnings) out.push(`warning: ${w}`);
  return `${out.join('\n')}\n`;
}

export async function inspectCommand(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const config = inspectConfig(args, env);
  // The design is read before the cluster is asked: a bad document stops here, with its problems.
  const designFile = last(args, 'design');
  let design: Topology | null = null;
  if (designFile) {
    const loaded = loadDesign(designFile, args);
    if (!loaded.ok) {
      printProblems(designFile, loaded, args);
      return 2;
    }
    design = loaded.doc;
  }
  const collector = new Collector(config, { probeWindow: 50 });
  try {
    const snapshot = await collector.pollOnce();
    if (!snapshot || collector.status.state === 'error') {
      const message = collector.status.message ?? 'the cluster did not answer';
      process.stderr.write(`busboard: ${message}\n`);
      printJsonFailure(args, [{ path: '', message }]);
      return 1;
    }
    process.stdout.write(args.flags.has('json') ? `${JSON.stringify(inspectJson(snapshot, design), null, 2)}\n` : summary(snapshot, design));
    return 0;
  } finally {
    await collector.stop();
  }
}
