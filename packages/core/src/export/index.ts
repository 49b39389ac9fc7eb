/**
 * Export: from a design to manifests a cluster accepts. `exportDesign(doc, options)` is pure
 * (document in, files out, plus warnings); the web app's export dialog and
 * `busboard export` both call it. Reached as `@busboard/core/export`, apart from the core's
 * main entry, so the browser loads the Kubernetes schemas only when the dialog opens.
 */
import type { Warning } from '../engine/types.ts';
import type { Topology } from '../schema/topology.ts';
import { composeFile } from './compose.ts';
import { helmInstallCommand, helmValues } from './helm.ts';
import { bundleManifests, commonLabels } from './k8s-bundles.ts';
import { natsManifests } from './k8s-nats.ts';
import { isDns1123Label } from './names.ts';
import { type ExportPlan, planExport } from './plan.ts';
import type { ExportFile, ExportFormat, ExportOptions, ExportProblem, ExportResult, Manifest } from './types.ts';
import { validateObject } from './validate.ts';
import { joinDocuments, renderManifest } from './yaml.ts';

export * from './compose.ts';
export * from './helm.ts';
export * from './k8s-bundles.ts';
export * from './k8s-nats.ts';
export * from './names.ts';
export * from './nats-conf.ts';
export * from './plan.ts';
export * from './recommendation.ts';
export * from './types.ts';
export * from './validate.ts';
export * from './yaml.ts';
export * from './zip.ts';

export const FORMATS: readonly ExportFormat[] = ['k8s', 'helm', 'compose'];

/** Option mistakes a user can make, each naming the option and how to fix it. */
export function checkOptions(options: ExportOptions): ExportProblem[] {
  const problems: ExportProblem[] = [];
  if (options.format !== undefined && !FORMATS.includes(options.format))
    problems.push({ path: 'format', message: `"${options.format}" is not a format; use k8s, helm or compose` });
  if (options.namespace !== undefined && !isDns1123Label(options.namespace))
    problems.push({
      path: 'namespace',
      message: `"${options.namespace}" is not a Kubernetes namespace name: use lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63`,
    });
  if (options.cloud !== undefined && options.cloud !== 'aws' && options.cloud !== 'gcp')
    problems.push({ path: 'cloud', message: `"${options.cloud}" is not a cloud; use aws or gcp` });
  if (options.plane !== undefined && !/^[0-9a-zA-Z]+$/.test(options.plane))
    problems.push({ path: 'plane', message: `"${options.plane}" is not a Microbus plane: letters and digits only` });
  if (options.imagePrefix !== undefined && /\s/.test(options.imagePrefix))
    problems.push({ path: 'imagePrefix', message: `"${options.imagePrefix}" has white space; an image reference cannot` });
  return problems;
}

export function exportDesign(doc: Topology, options: ExportOptions = {}): ExportResult {
  const optionProblems = checkOptions(options);
  if (optionProblems.length) return { ok: false, problems: optionProblems };
  const format = options.format ?? 'k8s';
  const plan = planExport(doc, options);
  const warnings: Warning[] = [...plan.warnings];
  const files: ExportFile[] = [];
  const problems: ExportProblem[] = [];

  const addManifests = (path: string, manifests: Manifest[]) => {
    for (const m of manifests)
      for (const p of validateObject(m.object)) problems.push({ path: `${path}: ${m.object.kind} ${m.object.metadata.name}`, message: p });
    if (manifests.length) files.push({ path, type: 'yaml', content: joinDocuments(manifests.map(renderManifest)) });
  };

  if (format === 'compose') {
    files.push({ path: 'docker-compose.yaml', type: 'yaml', content: composeFile(plan, warnings) });
  } else {
    if (plan.namespace !== 'default')
      addManifests('namespace.yaml', [
        {
          object: {
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: { name: plan.namespace, labels: commonLabels(plan, plan.namespace, 'namespace', plan.namespace) },
          },
        },
      ]);
    for (const n of plan.nats) {
      if (format === 'helm') {
        const path = `helm/${n.name}-values.yaml`;
        files.push({ path, type: 'yaml', content: helmValues(plan, n, path) });
      } else addManifests(`nats/${n.name}.yaml`, natsManifests(plan, n));
    }
    if (plan.nats.length > 1)
      warnings.push({
        code: 'gateway-addresses',
        path: 'nats',
        message: `gateways between ${plan.nats.map((n) => n.name).join(', ')} use in-cluster DNS names; if the regions run separate Kubernetes clusters, replace them with addresses each region can reach`,
      });
    for (const b of plan.bundles) addManifests(`bundles/${b.name}.yaml`, bundleManifests(plan, b));
  }
  if (problems.length) return { ok: false, problems };
  files.push({ path: 'README.md', type: 'text', content: readme(plan, format, files, warnings) });
  return { ok: true, format, files, warnings };
}

function readme(plan: ExportPlan, format: ExportFormat, files: ExportFile[], warnings: Warning[]): string {
  const title = plan.doc.name || 'Design';
  const lines = [`# ${title}: ${format === 'compose' ? 'docker-compose' : format === 'helm' ? 'Helm + Kubernetes' : 'Kubernetes'} export`, ''];
  lines.push(
    'Exported by Busboard from the design; replica counts, autoscaler bounds and CPU targets come from the design and its engine figures.',
    '',
  );
  lines.push('## Apply', '', '```sh');
  if (format === 'compose') lines.push('docker compose up -d');
  else {
    if (format === 'helm') {
      lines.push('helm repo add nats https://nats-io.github.io/k8s/helm/charts/');
      for (const n of plan.nats) lines.push(helmInstallCommand(plan, n, `helm/${n.name}-values.yaml`));
    }
    if (plan.namespace !== 'default') lines.push('kubectl apply -f namespace.yaml');
    if (format === 'k8s') lines.push('kubectl apply -f nats/');
    lines.push('kubectl apply -f bundles/');
  }
  lines.push('```', '', '## Files', '');
  for (const f of files) lines.push(`- \`${f.path}\``);
  lines.push('', '## Warnings', '');
  if (!warnings.length) lines.push('None.');
  for (const w of warnings) lines.push(`- \`${w.path}\`: ${w.message}`);
  return `${lines.join('\n')}\n`;
}
