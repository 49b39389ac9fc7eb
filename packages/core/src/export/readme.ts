/**
 * The README.md every export carries: how to apply it, what to create first (production),
 * how replicas are scaled and reach their zone's NATS servers, and every warning.
 */
import type { Warning } from '../engine/types.ts';
import { HELM_CHART_VERSION, HELM_REPO, helmInstallCommand } from './helm.ts';
import { type ExportPlan, INGRESS_PORT } from './plan.ts';
import { describeJetStreamFile, jetstreamReadme } from './readme-jetstream.ts';
import {
  bundleClientSecret,
  certificateRecipe,
  ingressTlsSecret,
  MICROBUS_FILES,
  MONITOR_IDENTITY,
  natsTlsSecret,
  SYSTEM_ACCOUNT,
  userOf,
} from './security.ts';
import type { ExportFile } from './types.ts';

const TITLES = { compose: 'docker-compose', helm: 'Helm + Kubernetes', k8s: 'Kubernetes' } as const;

export function readme(plan: ExportPlan, files: ExportFile[], warnings: Warning[]): string {
  const { format } = plan;
  const production = plan.profile === 'production';
  const title = plan.doc.name || 'Design';
  const ns = plan.namespace;
  const lines = [`# ${title}: ${TITLES[format]} export (${plan.profile})`, ''];
  lines.push(
    'Exported by Busboard from the design; replica counts, autoscaler bounds and CPU targets come from the design and its engine figures.',
    `Microbus: ${plan.microbus === 'v1' ? 'v1.x (localities dotted, most specific part first: a.1.east.us)' : 'newest (localities broadest part first: us-east-1-a)'}.`,
    '',
  );
  if (production && format !== 'compose') {
    lines.push('## Before you apply: the Secrets', '');
    lines.push(
      'NATS runs TLS on every listener and admits a client only with a certificate from your CA whose subject names a user (no passwords anywhere):',
      '',
    );
    for (const n of plan.nats)
      lines.push(
        `- \`${natsTlsSecret(plan, n)}\`: NATS cluster ${n.name}'s server certificate (\`tls.crt\`, \`tls.key\`, and the CA as \`ca.crt\`).`,
      );
    for (const b of plan.bundles.filter((x) => x.deployments.length))
      lines.push(
        `- \`${bundleClientSecret(plan, b)}\`: bundle ${b.bundle.name}'s client certificate, subject \`CN=${b.name}\` (\`tls.crt\`, \`tls.key\`, \`ca.crt\`). Mounted in ${plan.workingDir} as ${MICROBUS_FILES.map((f) => f.file).join(', ')}, the names Microbus reads.`,
      );
    for (const e of plan.exposed.filter((x) => x.ingress))
      lines.push(
        `- \`${ingressTlsSecret(plan, e.ingress ?? '')}\`: the certificate for https://${plan.ingressHost}/ (a \`kubernetes.io/tls\` Secret; cert-manager can fill it).`,
      );
    lines.push(
      '',
      `Busboard's live view connects as \`${userOf(MONITOR_IDENTITY)}\` (system account ${SYSTEM_ACCOUNT}, which sees every server): give it that certificate.`,
      'The server certificate must allow client use too (routes and gateways present it to each other) and name every Service the recipe lists.',
      'Certificates in mounted files are read when a process starts: after renewing one, `kubectl rollout restart` the bundles and StatefulSets.',
      '',
      'To try it with a throw-away CA (a team with a CA or cert-manager issues the same names from it):',
      '',
      '```sh',
      ...certificateRecipe(plan),
      '```',
      '',
    );
  }
  lines.push('## Apply', '', '```sh');
  if (format === 'compose') lines.push('docker compose up -d');
  else {
    if (plan.namespace !== 'default') lines.push('kubectl apply -f namespace.yaml');
    if (format === 'helm') {
      lines.push(`helm repo add nats ${HELM_REPO}`);
      for (const n of plan.nats) lines.push(helmInstallCommand(plan, n, `helm/${n.name}-values.yaml`));
    }
    if (format === 'k8s') lines.push('kubectl apply -f nats/');
    lines.push('kubectl apply -f bundles/');
  }
  lines.push('```', '');
  if (format === 'helm') lines.push(`The values were written for chart version ${HELM_CHART_VERSION}; the install command pins it.`, '');
  if (format !== 'compose') {
    lines.push('## Replicas and scaling', '');
    if (plan.autoscaler)
      lines.push(
        'Every Deployment has a HorizontalPodAutoscaler and no `spec.replicas`: the autoscaler owns the count, and re-applying these files during a peak leaves it alone.',
        "A bundle's `autoscale` bounds in the design apply to each zone's Deployment (a bundle in three zones with min 2 has at least 6 replicas).",
        '',
        '**Upgrading from an export that set `spec.replicas`:** `kubectl apply` still remembers it (the last-applied annotation) and drops the field, which resets the count to 1 until the autoscaler scales up again. Before applying, remove it from the annotation: `kubectl apply edit-last-applied deployment/NAME` and delete the `replicas` line.',
        '',
        '**To scale a bundle by hand (without an autoscaler):** delete its autoscaler, then set the count:',
        '',
        '```sh',
        `kubectl -n ${ns} delete hpa NAME`,
        `kubectl -n ${ns} scale deployment NAME --replicas=N`,
        '```',
        '',
        'or export with the autoscaler off (`busboard export --no-autoscaler`, or "Autoscaler: off" in the export dialog): each Deployment then sets `spec.replicas` to the design\'s count and no autoscaler is written.',
        '',
      );
    else
      lines.push(
        "Exported without autoscalers: each Deployment sets `spec.replicas` to the design's count. Change the design and export again, or `kubectl scale deployment NAME --replicas=N` (a later apply resets it to the file).",
        '',
      );
    lines.push('## Each replica talks to its own zone', '');
    if (format === 'k8s')
      lines.push(
        "Each zone has its own NATS StatefulSet and Service; a Deployment pinned to a zone connects to that zone's Service (MICROBUS_NATS), as the engine assumes. This needs no particular Kubernetes version.",
        "Spread Deployments (`--cloud`) use the cluster's client Service, which then carries `trafficDistribution: PreferClose` to keep connections in the zone: Kubernetes 1.31 or later (beta, on by default; GA in 1.33; PreferSameZone is its newer name, beta in 1.34). An older API server refuses the field: remove it there, and those replicas connect to any server.",
        '',
      );
    else
      lines.push(
        "The chart runs one StatefulSet per cluster; the client Service's `trafficDistribution: PreferClose` keeps each replica's connection in its zone. It needs Kubernetes 1.31 or later (beta, on by default; GA in 1.33) and a service proxy that honours it; an older API server refuses the field.",
        '',
      );
    if (plan.exposed.length) {
      lines.push('## Where traffic enters', '');
      for (const e of plan.exposed)
        lines.push(
          e.ingress
            ? `- Bundle ${e.bundle.bundle.name} (${e.entries.join(', ')}): Service \`${e.service}\` on :${INGRESS_PORT}, published as https://${plan.ingressHost}/ by Ingress \`${e.ingress}\`.`
            : `- Bundle ${e.bundle.bundle.name} (${e.entries.join(', ')}): Service \`${e.service}\` on :${INGRESS_PORT}; try it with \`kubectl -n ${ns} port-forward service/${e.service} ${INGRESS_PORT}\`.`,
        );
      lines.push('');
    }
  }
  lines.push(...jetstreamReadme(plan, files));
  lines.push('## Files', '');
  for (const f of files) lines.push(`- \`${f.path}\`${f.type === 'json' ? describeJetStreamFile(plan, f) : ''}`);
  lines.push('', '## Warnings', '');
  if (!warnings.length) lines.push('None.');
  for (const w of warnings) lines.push(`- \`${w.path}\`: ${w.message}`);
  return `${lines.join('\n')}\n`;
}
