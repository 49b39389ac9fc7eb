/**
 * The README's JetStream section: why the streams come as the `nats` CLI's JSON, how to apply
 * them in each format, and how every server's store was sized.
 */
import { composeJetStream } from './compose.ts';
import { consumerFile, formatBytes, type JetStreamPlan, STORE_HEADROOM, streamFile, UNBOUNDED_SIZING_DAYS } from './jetstream.ts';
import { PORTS, svcHost } from './k8s-nats.ts';
import type { ExportPlan } from './plan.ts';
import { APP_ACCOUNT, bundleClientSecret } from './security.ts';
import type { ExportFile } from './types.ts';

const BASIS = {
  steady: 'steady size under its limits (engine)',
  maxBytes: 'its maxBytes, which JetStream reserves on each server holding it',
  unbounded: `${UNBOUNDED_SIZING_DAYS} days of growth: it has no limit`,
  'no-figures': 'no engine figures',
} as const;

/** One line for a JetStream file in the README's file list (empty for other files). */
export function describeJetStreamFile(plan: ExportPlan, f: ExportFile): string {
  for (const s of plan.doc.streams ?? [])
    if (streamFile(s) === f.path)
      return `: stream ${s.name} (${s.subjects.join(', ')}; R${s.replicas}, ${s.storage}, ${s.retention} retention) for \`nats stream add --config\``;
  for (const c of plan.doc.consumers ?? [])
    if (consumerFile(c) === f.path)
      return `: durable ${c.mode} consumer ${c.name} of ${c.stream}, handled by ${c.service}, for \`nats consumer add ${c.stream} --config\``;
  return '';
}

function sizing(label: string, j: JetStreamPlan, volumes: boolean): string[] {
  const lines = [`${label}:`, ''];
  for (const p of j.streams)
    lines.push(
      `- ${p.stream.name} (R${p.stream.replicas}, ${p.stream.storage}): ${p.basis === 'no-figures' ? 'not sized (the engine gave no figures)' : `${formatBytes(p.replicaBytes)} per replica, from ${BASIS[p.basis]}`}${p.bytesPerDay ? `; grows ${formatBytes(p.bytesPerDay)} a day per replica` : ''}; on ${p.servers.join(', ')}.`,
    );
  lines.push('');
  const stores = [
    j.fileStore ? `max_file_store ${j.fileStore}${volumes ? ' (and a volume of that size)' : ''}` : '',
    j.memoryStore ? `max_memory_store ${j.memoryStore}` : '',
  ]
    .filter(Boolean)
    .join(' and ');
  lines.push(
    `Every server: ${stores}: the busiest server's replicas × ${STORE_HEADROOM} headroom (the file store frees space a block at a time; compaction and bursts need room), rounded up.`,
    '',
  );
  return lines;
}

export function jetstreamReadme(plan: ExportPlan, files: readonly ExportFile[]): string[] {
  const streams = plan.doc.streams ?? [];
  if (!streams.length) return [];
  const { format } = plan;
  const lines = ['## JetStream: streams and consumers', ''];
  lines.push(
    "JetStream is on for the NATS servers that hold the design's streams (the `jetstream` block of nats.conf" +
      (format === 'helm'
        ? ', `config.jetstream` in the chart values'
        : format === 'k8s'
          ? ', a PersistentVolumeClaim per server'
          : ', a named volume per server') +
      ').',
    "The streams and consumers are JSON files for the `nats` CLI (`jetstream/`): the JSON is JetStream's own API (StreamConfig and ConsumerConfig; durations in nanoseconds), so the same files serve compose and Kubernetes and need nothing in the cluster beyond NATS. The NACK controller's Stream and Consumer resources would need its controller and CRDs installed (and, in production, a certificate of its own); a team that runs NACK copies the same settings into them.",
    '',
  );
  const durable = (plan.doc.consumers ?? []).filter((c) => c.durable);
  const apply = [
    ...streams.map((s) => `nats --server "$NATS" stream add --config ${streamFile(s)}`),
    ...durable.map((c) => `nats --server "$NATS" consumer add ${c.stream} --config ${consumerFile(c)}`),
  ];
  const production = plan.profile === 'production' && format !== 'compose';
  const first = plan.nats.find((n) => n.jetstream) ?? plan.nats[0];
  lines.push('Create them once NATS is up (`nats stream edit STREAM --config FILE` applies a later change):', '', '```sh');
  if (format === 'compose') lines.push(`NATS=nats://127.0.0.1:${PORTS.client}`);
  else if (production) lines.push(`NATS=tls://${first ? svcHost(plan, first.name) : 'nats'}:${PORTS.client}`);
  else
    lines.push(
      `kubectl -n ${plan.namespace} port-forward service/${first?.name ?? 'nats'} ${PORTS.client}:${PORTS.client} &`,
      `NATS=nats://127.0.0.1:${PORTS.client}`,
    );
  lines.push(...apply, '```', '');
  if (production) {
    const b = plan.bundles.find((x) => x.deployments.length);
    lines.push(
      `Production: JetStream is enabled for account ${APP_ACCOUNT}, so the CLI connects with a certificate of that account (a bundle's, e.g. Secret \`${b ? bundleClientSecret(plan, b) : 'client-…'}\`: add \`--tlscert tls.crt --tlskey tls.key --tlsca ca.crt\`) from inside the cluster, where the servers' certificate names match.`,
      '',
    );
  }
  for (const c of durable.filter((x) => x.mode === 'push'))
    lines.push(`Push consumer ${c.name}: ${c.service}'s replicas subscribe to \`deliver.${c.stream}.${c.name}\` in queue group \`${c.name}\`.`);
  if (durable.some((x) => x.mode === 'push')) lines.push('');
  lines.push('### Storage', '');
  if (format === 'compose') {
    const j = composeJetStream(plan);
    if (j) lines.push(...sizing('The three compose servers (Docker volumes have no size: max_file_store is the limit)', j, false));
  } else for (const n of plan.nats) if (n.jetstream) lines.push(...sizing(`Cluster ${n.name}`, n.jetstream, true));
  lines.push(
    'JetStream chooses the servers when a stream is created; the sizes assume it spreads replicas evenly (an R3 stream over three zones: one replica per zone), as above.',
    '',
  );
  if (format !== 'compose') {
    const ns = plan.namespace;
    lines.push(
      "**When the design grows:** a StatefulSet's volume claim templates cannot change once it exists, so a re-export with bigger volumes (or JetStream newly on) is refused by `" +
        (format === 'helm' ? 'helm upgrade' : 'kubectl apply') +
        '`. Grow each claim where its StorageClass allows expansion, then recreate the StatefulSet around the running pods:',
      '',
      '```sh',
      // Claim names: the template's name, then the pod's (the chart names its template <release>-js).
      `kubectl -n ${ns} patch pvc ${format === 'helm' ? `${first?.name ?? 'nats'}-js-POD` : 'js-POD'} -p '{"spec":{"resources":{"requests":{"storage":"SIZE"}}}}'   # each server's claim`,
      `kubectl -n ${ns} delete statefulset NAME --cascade=orphan`,
      format === 'helm' ? 'helm upgrade … (the command above)' : 'kubectl apply -f nats/',
      '```',
      '',
    );
  }
  if (!files.some((f) => f.type === 'json')) lines.push('No stream or consumer files: the design has none.', '');
  return lines;
}
