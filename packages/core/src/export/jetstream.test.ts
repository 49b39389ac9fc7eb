/**
 * JetStream in the export: per-server storage from literal engine figures (worked by hand
 * below), replicas spread over zones, the unbounded-stream warning with its fill time, and the
 * stream and consumer JSON checked field by field against nats-server 2.9.10's StreamConfig and
 * ConsumerConfig (server/stream.go, server/consumer.go: json tags, Go types, omitempty).
 * The real-server round trip is apps/api/test/export-jetstream-cluster.test.ts.
 */
import { execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { checkConf } from '../../test/support/nats-servers.ts';
import type { Warning } from '../engine/types.ts';
import { ordersEvents } from '../examples/orders-events.ts';
import type { StreamT, Topology, TopologyInput } from '../schema/topology.ts';
import { parseTopology } from '../schema/validate.ts';
import {
  attachJetStream,
  consumerConfig,
  type ExportOptions,
  exportDesign,
  helmValuesObject,
  placeReplicas,
  planExport,
  planJetStream,
  type StreamFigures,
  storageQuantity,
  streamConfig,
} from './index.ts';

const GiB = 2 ** 30;
const MiB = 2 ** 20;
const dir = mkdtempSync(join(tmpdir(), 'busboard-jetstream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function parsed(input: TopologyInput): Topology {
  const r = parseTopology(input);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.doc;
}
const stream = (s: Partial<StreamT> & { name: string }): StreamT => ({
  subjects: [`${s.name}.>`],
  replicas: 1,
  storage: 'file',
  retention: 'limits',
  ...s,
});
const zones3 = ['a', 'b', 'c'].map((z) => ({ name: `nats-${z}-0`, zone: z }));
const steady = (bytes: number, perDay = 0): StreamFigures => ({ storageBytesPerDay: perDay, steadyBytes: bytes, timeToLimitSeconds: null });

describe('storage per server', () => {
  it('Σ over streams of a replica’s steady bytes × the replicas on the server, × 1.5, rounded up to Gi', () => {
    // ORDERS (streams[0], R3, 100 GiB a replica) lands on all three servers; AUDIT (streams[1],
    // R1, 10 GiB) starts at position 1, nats-b-0. Busiest: nats-b-0 with 110 GiB → × 1.5 = 165 GiB → 165Gi.
    const warnings: Warning[] = [];
    const j = planJetStream(
      [
        { stream: stream({ name: 'ORDERS', replicas: 3, maxAgeSeconds: 86_400 }), index: 0 },
        { stream: stream({ name: 'AUDIT', maxAgeSeconds: 86_400 }), index: 1 },
      ],
      zones3,
      { ORDERS: steady(100 * GiB), AUDIT: steady(10 * GiB) },
      warnings,
    );
    expect(j?.streams.map((p) => p.servers)).toEqual([['nats-a-0', 'nats-b-0', 'nats-c-0'], ['nats-b-0']]);
    expect(j?.servers.map((s) => s.fileBytes / GiB)).toEqual([100, 110, 100]);
    expect(j?.fileStore).toBe('165Gi');
    expect(j?.memoryStore).toBeNull();
    expect(warnings).toEqual([]);
  });

  it('maxBytes is reserved in full on each server holding a replica; memory streams size max_memory_store', () => {
    const j = planJetStream(
      [
        { stream: stream({ name: 'CAPPED', replicas: 3, maxBytes: 4 * GiB }), index: 0 },
        { stream: stream({ name: 'HOT', storage: 'memory', maxAgeSeconds: 60 }), index: 1 },
      ],
      zones3,
      // Steady 1 GiB, but JetStream reserves max_bytes (4 GiB) when it places the stream.
      { CAPPED: steady(GiB), HOT: steady(100 * MiB) },
      [],
    );
    expect(j?.streams[0]?.basis).toBe('maxBytes');
    // 4 GiB × 1.5 = 6 GiB; 100 MiB × 1.5 = 150 MiB → next 64 MiB step: 192 MiB.
    expect(j?.fileStore).toBe('6Gi');
    expect(j?.memoryStore).toBe('192Mi');
  });

  it('a stream without limits is sized for 30 days of growth and warned about: the store fills in 45 days', () => {
    const warnings: Warning[] = [];
    const j = planJetStream(
      [{ stream: stream({ name: 'FOREVER', subjects: ['audit.>'], replicas: 3 }), index: 2 }],
      zones3,
      { FOREVER: { storageBytesPerDay: 2 * GiB, steadyBytes: null, timeToLimitSeconds: null } },
      warnings,
    );
    // 2 GiB/day × 30 days × 1.5 = 90 GiB; 90 GiB ÷ 2 GiB a day = 45 days.
    expect(j?.fileStore).toBe('90Gi');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.code).toBe('stream-unbounded');
    expect(warnings[0]?.path).toBe('streams[2]');
    expect(warnings[0]?.message).toContain('each replica grows 2.0 GiB a day');
    expect(warnings[0]?.message).toContain('fills in about 45 days');
    expect(warnings[0]?.message).toContain('audit.>');
  });

  it('a stream without limits that nothing is published to needs no room and no warning', () => {
    const warnings: Warning[] = [];
    const j = planJetStream(
      [{ stream: stream({ name: 'IDLE' }), index: 0 }],
      zones3,
      { IDLE: { storageBytesPerDay: 0, steadyBytes: null, timeToLimitSeconds: null } },
      warnings,
    );
    expect([j?.fileStore, warnings]).toEqual(['1Gi', []]);
  });

  it('the fill time counts the bounded streams already on the server', () => {
    const warnings: Warning[] = [];
    // Per server: 20 GiB bounded + 30 × 1 GiB unbounded = 50 GiB → 75Gi. Room for growth:
    // 75 − 20 = 55 GiB at 1 GiB a day → 55 days.
    planJetStream(
      [
        { stream: stream({ name: 'A', replicas: 3, maxAgeSeconds: 3600 }), index: 0 },
        { stream: stream({ name: 'B', replicas: 3 }), index: 1 },
      ],
      zones3,
      { A: steady(20 * GiB), B: { storageBytesPerDay: GiB, steadyBytes: null, timeToLimitSeconds: null } },
      warnings,
    );
    expect(warnings[0]?.message).toContain('the 75Gi persistent volume');
    expect(warnings[0]?.message).toContain('fills in about 55 days');
  });

  it('replicas spread over zones; stream k starts at position k of the ring (the engine’s rule)', () => {
    const servers = ['a0', 'b0', 'c0', 'a1', 'b1', 'c1'].map((name) => ({ name, zone: name[0] as string }));
    const streams = [3, 3, 1, 5].map((replicas, index) => ({ replicas, index }));
    expect(placeReplicas(streams, servers)).toEqual([['a0', 'b0', 'c0'], ['b0', 'c0', 'a1'], ['c0'], ['a1', 'b1', 'c1', 'a0', 'b0']]);
    // More replicas than servers: one per server.
    expect(placeReplicas([{ replicas: 5, index: 7 }], servers.slice(0, 3))).toEqual([['b0', 'c0', 'a0']]);
  });

  it('quantities: whole Gi from 1 GiB, whole Mi below', () => {
    expect(storageQuantity(GiB)).toBe('1Gi');
    expect(storageQuantity(GiB + 1)).toBe('2Gi');
    expect(storageQuantity(300 * MiB + 1)).toBe('301Mi');
  });
});

/**
 * nats-server 2.9.10's StreamConfig and ConsumerConfig as their JSON shows them (server/stream.go,
 * server/consumer.go): tag → JSON type, and whether the tag has omitempty (a field without it is
 * always present in the server's own JSON, so the export writes it too). time.Duration is an
 * integer of nanoseconds; int64 limits use -1 for unlimited.
 */
type Kind = 'string' | 'strings' | 'int' | 'duration' | 'bool' | 'object' | { enum: string[] };
const STREAM_CONFIG: Record<string, [Kind, 'omitempty' | 'required']> = {
  name: ['string', 'required'],
  description: ['string', 'omitempty'],
  subjects: ['strings', 'omitempty'],
  retention: [{ enum: ['limits', 'interest', 'workqueue'] }, 'required'],
  max_consumers: ['int', 'required'],
  max_msgs: ['int', 'required'],
  max_bytes: ['int', 'required'],
  max_age: ['duration', 'required'],
  max_msgs_per_subject: ['int', 'required'],
  max_msg_size: ['int', 'omitempty'],
  discard: [{ enum: ['old', 'new'] }, 'required'],
  storage: [{ enum: ['file', 'memory'] }, 'required'],
  num_replicas: ['int', 'required'],
  no_ack: ['bool', 'omitempty'],
  template_owner: ['string', 'omitempty'],
  duplicate_window: ['duration', 'omitempty'],
  placement: ['object', 'omitempty'],
  mirror: ['object', 'omitempty'],
  sources: ['object', 'omitempty'],
  republish: ['object', 'omitempty'],
  allow_direct: ['bool', 'required'],
  mirror_direct: ['bool', 'required'],
  discard_new_per_subject: ['bool', 'omitempty'],
  sealed: ['bool', 'required'],
  deny_delete: ['bool', 'required'],
  deny_purge: ['bool', 'required'],
  allow_rollup_hdrs: ['bool', 'required'],
};
const CONSUMER_CONFIG: Record<string, [Kind, 'omitempty' | 'required']> = {
  durable_name: ['string', 'omitempty'],
  name: ['string', 'omitempty'],
  description: ['string', 'omitempty'],
  deliver_policy: [{ enum: ['all', 'last', 'new', 'by_start_sequence', 'by_start_time', 'last_per_subject'] }, 'required'],
  opt_start_seq: ['int', 'omitempty'],
  opt_start_time: ['string', 'omitempty'],
  ack_policy: [{ enum: ['none', 'all', 'explicit'] }, 'required'],
  ack_wait: ['duration', 'omitempty'],
  max_deliver: ['int', 'omitempty'],
  backoff: ['object', 'omitempty'],
  filter_subject: ['string', 'omitempty'],
  replay_policy: [{ enum: ['instant', 'original'] }, 'required'],
  rate_limit_bps: ['int', 'omitempty'],
  sample_freq: ['string', 'omitempty'],
  max_waiting: ['int', 'omitempty'],
  max_ack_pending: ['int', 'omitempty'],
  idle_heartbeat: ['duration', 'omitempty'],
  flow_control: ['bool', 'omitempty'],
  headers_only: ['bool', 'omitempty'],
  max_batch: ['int', 'omitempty'],
  max_expires: ['duration', 'omitempty'],
  max_bytes: ['int', 'omitempty'],
  deliver_subject: ['string', 'omitempty'],
  deliver_group: ['string', 'omitempty'],
  inactive_threshold: ['duration', 'omitempty'],
  num_replicas: ['int', 'required'],
  mem_storage: ['bool', 'omitempty'],
  direct: ['bool', 'omitempty'],
};

function conformance(json: Record<string, unknown>, spec: typeof STREAM_CONFIG): string[] {
  const problems: string[] = [];
  for (const [k, v] of Object.entries(json)) {
    const field = spec[k];
    if (!field) {
      problems.push(`${k}: not a field of the server's config`);
      continue;
    }
    const [kind] = field;
    const int = Number.isSafeInteger(v) || (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 2 ** 63);
    const ok =
      typeof kind === 'object'
        ? kind.enum.includes(v as string)
        : kind === 'strings'
          ? Array.isArray(v) && v.every((x) => typeof x === 'string')
          : kind === 'int' || kind === 'duration'
            ? int && (kind === 'int' || (v as number) >= 0)
            : kind === 'object'
              ? typeof v === 'object' && v !== null
              : typeof v === (kind === 'bool' ? 'boolean' : kind);
    if (!ok) problems.push(`${k}: ${JSON.stringify(v)} is not ${typeof kind === 'object' ? kind.enum.join('|') : kind}`);
  }
  for (const [k, [, presence]] of Object.entries(spec)) if (presence === 'required' && !(k in json)) problems.push(`${k}: missing`);
  return problems;
}

describe('stream and consumer JSON: nats-server 2.9.10 StreamConfig and ConsumerConfig', () => {
  it('every field is one of the server’s, of its type; every field without omitempty is written', () => {
    const s = streamConfig(stream({ name: 'ORDERS', replicas: 3, maxAgeSeconds: 7 * 86_400, maxBytes: 5 * GiB, maxMsgs: 1e9 }), 'nats');
    expect(conformance(s as unknown as Record<string, unknown>, STREAM_CONFIG)).toEqual([]);
    expect(s.max_age).toBe(604_800_000_000_000);
    expect([s.max_bytes, s.max_msgs, s.num_replicas, s.placement]).toEqual([5 * GiB, 1e9, 3, { cluster: 'nats' }]);
    const unlimited = streamConfig(stream({ name: 'ALL', storage: 'memory', retention: 'workqueue' }));
    expect(conformance(unlimited as unknown as Record<string, unknown>, STREAM_CONFIG)).toEqual([]);
    expect([unlimited.max_age, unlimited.max_bytes, unlimited.max_msgs, unlimited.storage, unlimited.retention]).toEqual([
      0,
      -1,
      -1,
      'memory',
      'workqueue',
    ]);
    // The longest age the schema allows (10 years) is past 2^53 ns but still written as the exact integer Go reads.
    expect(JSON.stringify(streamConfig(stream({ name: 'X', maxAgeSeconds: 10 * 365 * 86_400 })))).toContain('"max_age":315360000000000000');
  });

  it('pull and push consumers: explicit acks, ack_wait in ns, max_ack_pending; push delivers to a queue group', () => {
    const doc = parsed(ordersEvents);
    const pull = consumerConfig(doc.consumers?.[0] as NonNullable<Topology['consumers']>[number]);
    expect(conformance(pull as unknown as Record<string, unknown>, CONSUMER_CONFIG)).toEqual([]);
    expect(pull).toMatchObject({ durable_name: 'fulfil', ack_policy: 'explicit', ack_wait: 30_000_000_000, max_ack_pending: 1000 });
    expect(pull.deliver_subject).toBeUndefined();
    const push = consumerConfig({
      ...(doc.consumers?.[0] as NonNullable<Topology['consumers']>[number]),
      name: 'mail',
      mode: 'push',
      ackWaitMs: 2500,
      filterSubject: 'orders.created',
    });
    expect(conformance(push as unknown as Record<string, unknown>, CONSUMER_CONFIG)).toEqual([]);
    expect(push).toMatchObject({
      ack_wait: 2_500_000_000,
      filter_subject: 'orders.created',
      deliver_subject: 'deliver.ORDERS.mail',
      deliver_group: 'mail',
    });
  });
});

const FIGURES = { storageBytesPerDay: 30 * GiB, steadyBytes: 210 * GiB, timeToLimitSeconds: null };

/** The orders example with the engine's figures set by hand (the engine fills them once merged). */
function ordersPlan(options: ExportOptions, input: TopologyInput = ordersEvents) {
  const doc = parsed(input);
  const plan = planExport(doc, options);
  return { doc, plan };
}

describe('the export of a design with streams', () => {
  it('k8s: the jetstream block, a volume claim per server of the same size, valid StatefulSets, and the JSON files', () => {
    const r = exportDesign(parsed(ordersEvents), { format: 'k8s' });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const docs = parseAllDocuments(r.files.find((f) => f.path === 'nats/nats.yaml')?.content ?? '').map((d) => d.toJS());
    const conf = docs.find((d) => d.kind === 'ConfigMap').data['nats.conf'] as string;
    const store = /max_file_store: (\S+)/.exec(conf)?.[1];
    expect(conf).toContain('store_dir: "/data/jetstream"');
    const sets = docs.filter((d) => d.kind === 'StatefulSet');
    expect(sets).toHaveLength(3);
    for (const s of sets) {
      expect(s.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe(store);
      expect(s.spec.template.spec.containers[0].volumeMounts).toContainEqual({ name: 'js', mountPath: '/data/jetstream' });
    }
    expect(r.files.filter((f) => f.type === 'json').map((f) => f.path)).toEqual([
      'jetstream/ORDERS/stream.json',
      'jetstream/ORDERS/fulfil.consumer.json',
    ]);
    const json = JSON.parse(r.files.find((f) => f.path === 'jetstream/ORDERS/stream.json')?.content ?? '');
    expect(json).toMatchObject({ name: 'ORDERS', subjects: ['orders.>'], num_replicas: 3, storage: 'file', max_age: 7 * 86_400 * 1e9 });
    const readme = r.files.find((f) => f.path === 'README.md')?.content ?? '';
    expect(readme).toContain('nats --server "$NATS" stream add --config jetstream/ORDERS/stream.json');
    expect(readme).toContain('nats --server "$NATS" consumer add ORDERS --config jetstream/ORDERS/fulfil.consumer.json');
    expect(readme).toContain('NACK');
    // Claim templates are immutable: the README says how to grow a volume.
    expect(readme).toContain('kubectl -n default patch pvc js-POD -p \'{"spec":{"resources":{"requests":{"storage":"SIZE"}}}}\'');
  });

  it('sizes from the engine’s figures: 210 GiB steady per replica → 315Gi volumes, max_file_store and chart pvc.size', () => {
    // Without its maxBytes (which JetStream reserves whole, and which would set the size instead).
    const input = structuredClone(ordersEvents);
    for (const st of input.streams ?? []) delete st.maxBytes;
    const { plan } = ordersPlan({ format: 'helm' }, input);
    // The engine's figures given by hand: the sizing is checked apart from the engine.
    attachJetStream(plan.doc, plan.nats, { ORDERS: FIGURES }, []);
    const n = plan.nats[0];
    if (!n) throw new Error('no cluster');
    expect(n.jetstream?.fileStore).toBe('315Gi');
    const values = helmValuesObject(plan, n) as { config: { jetstream: unknown } };
    expect(values.config.jetstream).toEqual({
      enabled: true,
      fileStore: { enabled: true, pvc: { enabled: true, size: '315Gi' } },
      memoryStore: { enabled: false },
    });
  });

  it('production: JetStream is enabled in the application account (conf and chart values), nats-server -t accepts it', () => {
    const production: ExportOptions = {
      profile: 'production',
      namespace: 'shop',
      imagePrefix: 'ghcr.io/acme/',
      imageTag: '1.0',
      ingressHost: 'shop.example.com',
    };
    const r = exportDesign(parsed(ordersEvents), { ...production, format: 'k8s' });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const conf = parseAllDocuments(r.files.find((f) => f.path === 'nats/nats.yaml')?.content ?? '')
      .map((d) => d.toJS())
      .find((d) => d.kind === 'ConfigMap').data['nats.conf'] as string;
    expect(conf).toMatch(/APP: \{ jetstream: enabled, users: /);
    // -t loads the certificate files: a self-signed one (its own CA) will do.
    execSync(
      'openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=nats -keyout tls.key -out tls.crt && cp tls.crt ca.crt',
      { cwd: dir, stdio: 'pipe' },
    );
    const rewritten = conf.replaceAll('/etc/nats-tls/', `${dir}/`).replace('/data/jetstream', join(dir, 'js-prod'));
    const file = join(dir, 'prod.conf');
    writeFileSync(file, rewritten);
    const t = checkConf(file, { SERVER_NAME: 'nats-us-east-1a-0' });
    expect(t.status, t.stderr).toBe(0);
    const { plan } = ordersPlan({ ...production, format: 'helm' });
    const values = helmValuesObject(plan, plan.nats[0] as (typeof plan.nats)[number]) as { config: { merge: { accounts: Record<string, unknown> } } };
    expect(values.config.merge.accounts.APP).toMatchObject({ jetstream: 'enabled' });
  });

  it('compose: a named volume per server for the store, and the jetstream block nats-server -t accepts', () => {
    const r = exportDesign(parsed(ordersEvents), { format: 'compose' });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const compose = parseAllDocuments(r.files.find((f) => f.path === 'docker-compose.yaml')?.content ?? '')[0]?.toJS();
    expect(compose.services['nats-2'].volumes).toEqual(['nats-2-jetstream:/data/jetstream']);
    expect(Object.keys(compose.volumes)).toEqual(['nats-1-jetstream', 'nats-2-jetstream', 'nats-3-jetstream']);
    const conf = (compose.configs['nats-conf'].content as string).replaceAll('$$', '$').replace('/data/jetstream', join(dir, 'js-compose'));
    const file = join(dir, 'compose.conf');
    writeFileSync(file, conf);
    const t = checkConf(file, { SERVER_NAME: 'nats-1' });
    expect(t.status, t.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('jetstream {');
    // 7 days of ORDERS, three replicas on one laptop: far more than it should hold.
    expect(r.warnings.find((w) => w.code === 'laptop-disk')?.message).toMatch(
      /keep \d+\.\d GiB of JetStream files together on this machine \(ORDERS ×3\)/,
    );
  });

  it('no streams: no jetstream block, no volumes, no JSON files', () => {
    const input = structuredClone(ordersEvents);
    delete input.streams;
    delete input.consumers;
    for (const s of input.services ?? []) for (const p of s.publishes ?? []) delete p.ack;
    for (const format of ['k8s', 'compose'] as const) {
      const r = exportDesign(parsed(input), { format });
      if (!r.ok) throw new Error(JSON.stringify(r.problems));
      expect(r.files.some((f) => f.content.includes('jetstream {'))).toBe(false);
      expect(r.files.some((f) => f.type === 'json')).toBe(false);
      expect(r.files.find((f) => f.path === 'README.md')?.content).not.toContain('## JetStream');
    }
  });

  it('two regions: the stream names its cluster in placement, and only that cluster runs JetStream', () => {
    const input = structuredClone(ordersEvents) as TopologyInput;
    input.zones = [...(input.zones ?? []), { name: 'eu-west-1a', region: 'eu-west-1' }];
    input.nats = [...(input.nats ?? []), { name: 'nats-eu', region: 'eu-west-1', serversPerZone: 3, maxMsgsPerSecPerServer: 1_000_000 }];
    input.streams = [...(input.streams ?? []), { name: 'EU', subjects: ['eu.>'], replicas: 3, maxAgeSeconds: 3600, cluster: 'nats-eu' }];
    const r = exportDesign(parsed(input), { format: 'k8s' });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const json = (path: string) => JSON.parse(r.files.find((f) => f.path === path)?.content ?? '{}');
    expect(json('jetstream/ORDERS/stream.json').placement).toEqual({ cluster: 'nats' });
    expect(json('jetstream/EU/stream.json').placement).toEqual({ cluster: 'nats-eu' });
    const conf = (path: string) =>
      parseAllDocuments(r.files.find((f) => f.path === path)?.content ?? '')
        .map((d) => d.toJS())
        .find((d) => d.kind === 'ConfigMap').data['nats.conf'] as string;
    expect(conf('nats/nats.yaml')).toContain('JetStream for stream ORDERS (R3, file).');
    // nats-eu: one zone with three servers; EU (streams[1]) starts at position 1 of the ring and wraps.
    expect(conf('nats/nats-eu.yaml')).toContain('JetStream for stream EU (R3, file).');
    const plan = planExport(parsed(input), { format: 'k8s' });
    expect(plan.nats.map((n) => n.jetstream?.streams.map((p) => p.servers))).toEqual([
      [['nats-us-east-1a-0', 'nats-us-east-1b-0', 'nats-us-east-1c-0']],
      [['nats-eu-eu-west-1a-1', 'nats-eu-eu-west-1a-2', 'nats-eu-eu-west-1a-0']],
    ]);
  });

  it('the export places replicas on the servers the engine loads (two servers a zone, three streams)', () => {
    const input = structuredClone(ordersEvents) as TopologyInput;
    const cluster = input.nats?.[0];
    if (cluster) cluster.serversPerZone = 2;
    input.streams = [
      ...(input.streams ?? []),
      { name: 'AUDIT', subjects: ['audit.>'], replicas: 1, maxAgeSeconds: 3600 },
      { name: 'MAIL', subjects: ['mail.>'], replicas: 3, maxAgeSeconds: 3600 },
    ];
    const plan = planExport(parsed(input), { format: 'k8s' });
    const engine = plan.result.async?.streams ?? {};
    const exported = plan.nats[0]?.jetstream?.streams ?? [];
    expect(exported.map((p) => p.servers)).toEqual(exported.map((p) => engine[p.stream.name]?.replicas.map((r) => r.server)));
    expect(exported.map((p) => p.servers)).toEqual([
      ['nats-us-east-1a-0', 'nats-us-east-1b-0', 'nats-us-east-1c-0'],
      ['nats-us-east-1b-0'],
      ['nats-us-east-1c-0', 'nats-us-east-1a-1', 'nats-us-east-1b-1'],
    ]);
  });

  it('an ephemeral consumer gets no file, and a note says the service creates it', () => {
    const input = structuredClone(ordersEvents);
    const c = input.consumers?.[0];
    if (c) c.durable = false;
    const r = exportDesign(parsed(input), { format: 'k8s' });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.files.some((f) => f.path.endsWith('.consumer.json'))).toBe(false);
    expect(r.warnings.find((w) => w.code === 'ephemeral-consumer')?.message).toContain('fulfilment.example creates it when it starts');
  });
});
