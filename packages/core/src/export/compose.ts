/**
 * docker-compose for a laptop: a 3-node NATS cluster with routes, and one container per
 * bundle replica with MICROBUS_LOCALITY set to its simulated zone, so locality-aware routing
 * behaves as in the design.
 *
 * Compose interpolates `$VAR` and `${VAR}` in every value from the host's environment,
 * `configs.*.content` included; `$$` is a literal `$`. The nats.conf reads `$SERVER_NAME`
 * from each container's own environment, so every `$` in it is written `$$`.
 */
import type { Warning } from '../engine/types.ts';
import { formatBytes, type JetStreamPlan, planJetStream, STORE_DIR } from './jetstream.ts';
import { clusterConf, NATS_IMAGE, PORTS } from './k8s-nats.ts';
import { microbusLocality, microbusV1Locality, Namer, sanitize } from './names.ts';
import { natsConf } from './nats-conf.ts';
import type { ExportPlan } from './plan.ts';
import { renderDocument } from './yaml.ts';

export const COMPOSE_NATS_SERVERS = 3;
/** Above this much JetStream data on one machine, the compose export warns (a laptop's spare disk). */
const LAPTOP_DISK_BYTES = 20 * 2 ** 30;

/** A value compose passes through unchanged: every `$` doubled (a function, not `'$$'`, which JavaScript reads as one `$`). */
export function composeLiteral(value: string): string {
  return value.split('$').join('$$');
}

const natsNames = Array.from({ length: COMPOSE_NATS_SERVERS }, (_, i) => `nats-${i + 1}`);

/** JetStream on the compose cluster: every stream of the design, over its three servers (warnings go to `warnings`). */
export function composeJetStream(plan: ExportPlan, warnings: Warning[] = []): JetStreamPlan | null {
  const streams = (plan.doc.streams ?? []).map((stream, index) => ({ stream, index }));
  const servers = natsNames.map((name) => ({ name, zone: null }));
  return planJetStream(streams, servers, plan.result.async?.streams ?? {}, warnings);
}

/** The compose nats.conf: the Kubernetes one with compose's addresses. */
export function composeNatsConf(plan: ExportPlan, jetstream: JetStreamPlan | null = composeJetStream(plan)): string {
  const n = plan.nats[0];
  if (!n) throw new Error('a plan always has a NATS cluster');
  const routes = natsNames.map((name) => `${name}:${PORTS.cluster}`);
  return natsConf(
    clusterConf(
      plan,
      n,
      { routes, gateways: [] },
      [
        `NATS cluster ${n.cluster.name} for a laptop: ${COMPOSE_NATS_SERVERS} servers`,
        'SERVER_NAME comes from each container; one file serves all three.',
      ],
      jetstream,
    ),
  );
}

export function composeFile(plan: ExportPlan, warnings: Warning[]): string {
  const jetstream = composeJetStream(plan, warnings);
  const conf = composeNatsConf(plan, jetstream);
  // JetStream's files on a named volume per server, kept across `docker compose down` (not `down -v`).
  const volume = (name: string) => `${name}-jetstream`;
  const services: Record<string, unknown> = {};
  natsNames.forEach((name, i) => {
    services[name] = {
      image: NATS_IMAGE,
      command: ['--config', '/etc/nats/nats.conf'],
      environment: { SERVER_NAME: name },
      configs: [{ source: 'nats-conf', target: '/etc/nats/nats.conf' }],
      ...(jetstream ? { volumes: [`${volume(name)}:${STORE_DIR}`] } : {}),
      ports: [
        ...(i === 0 ? [`127.0.0.1:${PORTS.client}:${PORTS.client}`] : []),
        `127.0.0.1:${PORTS.monitor + i}:${PORTS.monitor}`,
        ...(plan.websocket ? [`127.0.0.1:${PORTS.websocket + i}:${PORTS.websocket}`] : []),
      ],
      restart: 'unless-stopped',
      // The image has busybox's wget; /healthz answers 200 once the server takes clients.
      healthcheck: {
        test: ['CMD', 'wget', '-q', '-O', '/dev/null', `http://127.0.0.1:${PORTS.monitor}/healthz`],
        interval: '5s',
        timeout: '3s',
        retries: 10,
        start_period: '5s',
      },
      // SIGUSR2 puts nats-server in lame duck mode: clients move to the other servers first.
      stop_signal: 'SIGUSR2',
      stop_grace_period: '45s',
    };
  });
  const serviceNames = new Namer();
  for (const n of natsNames) serviceNames.name('nats', n);
  const zoneIndex = new Map(plan.doc.zones.map((z, i) => [z.name, i]));
  let containers = 0;
  for (const b of plan.bundles) {
    for (const zone of plan.doc.zones) {
      const count = b.bundle.replicas[zone.name] ?? 0;
      const d = b.deployments.find((x) => x.zones.includes(zone.name));
      if (!d || count === 0) continue;
      // Zone k's replicas connect to nats-(k mod 3 + 1), their zone's server (a client shuffles
      // the servers it is given, so it gets only this one; it learns the others from the cluster
      // and moves to them if its own server stops).
      const own = natsNames[(zoneIndex.get(zone.name) ?? 0) % COMPOSE_NATS_SERVERS] as string;
      // The zone's own locality, also where Kubernetes would spread one Deployment (--cloud).
      const hyphen = microbusLocality(zone.name, zone.region);
      const locality = plan.microbus === 'v1' ? microbusV1Locality(hyphen) : hyphen;
      for (let r = 1; r <= count; r++) {
        containers++;
        services[serviceNames.name('bundle', b.bundle.name, zone.name, String(r))] = {
          image: composeLiteral(b.image),
          environment: {
            MICROBUS_NATS: `nats://${own}:${PORTS.client}`,
            MICROBUS_PLANE: plan.plane,
            // LAB: a fully working deployment that is not production.
            MICROBUS_DEPLOYMENT: 'LAB',
            MICROBUS_LOCALITY: composeLiteral(locality),
          },
          depends_on: Object.fromEntries(natsNames.map((n) => [n, { condition: 'service_healthy' }])),
          restart: 'unless-stopped',
          cpus: String(b.bundle.cpu),
          mem_limit: `${Math.ceil(b.bundle.memoryMiB)}m`,
          stop_grace_period: '30s',
          labels: { 'busboard.dev/bundle': composeLiteral(b.bundle.name), 'busboard.dev/zone': composeLiteral(zone.name) },
        };
      }
    }
  }
  if (containers > 24)
    warnings.push({
      code: 'laptop-size',
      path: 'bundles',
      message: `the compose file starts ${containers} bundle containers: a lot for one laptop; scale the design down for local runs`,
    });
  // The three servers share the laptop's disk: their replicas together are what it must hold.
  const onDisk = jetstream ? jetstream.servers.reduce((sum, x) => sum + x.fileBytes, 0) : 0;
  if (onDisk > LAPTOP_DISK_BYTES)
    warnings.push({
      code: 'laptop-disk',
      path: 'streams',
      message: `at the design's rates the compose servers keep ${formatBytes(onDisk)} of JetStream files together on this machine (${jetstream?.streams.map((p) => `${p.stream.name} ×${p.servers.length}`).join(', ')}): lower the streams' maxAgeSeconds or maxBytes for a local run`,
    });
  if (plan.nats.length > 1)
    warnings.push({
      code: 'compose-one-cluster',
      path: 'nats',
      message: `the design has ${plan.nats.length} NATS clusters; the compose file runs one 3-node cluster for every region`,
    });
  // Compose project names: lower-case letters, digits, '-' and '_' (no hash needed: nothing else shares it).
  const project = sanitize(plan.doc.name) || 'busboard';
  const doc = {
    name: project,
    services,
    configs: { 'nats-conf': { content: composeLiteral(conf) } },
    ...(jetstream ? { volumes: Object.fromEntries(natsNames.map((name) => [volume(name), {}])) } : {}),
  };
  return renderDocument(doc, [
    `${plan.doc.name || 'Design'}: NATS (3 servers) + ${containers} bundle container${containers === 1 ? '' : 's'}, one per replica of the design.`,
    '  docker compose up -d',
    `Monitoring: http://127.0.0.1:${PORTS.monitor}, :${PORTS.monitor + 1}, :${PORTS.monitor + 2} (paste them into Busboard's Live page).`,
    'In nats.conf, $$ is compose for a literal $: the server reads $SERVER_NAME from its own container.',
  ]);
}
