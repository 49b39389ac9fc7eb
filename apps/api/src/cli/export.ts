/** `busboard export FILE --format k8s|helm|compose [--out DIR] …`: thin, the builders live in core. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type ExportOptions, exportDesign, FORMATS, MICROBUS_VERSIONS, PROFILES, toYamlStream } from '@busboard/core/export';
import { type ParsedArgs, UsageError } from './args.ts';
import { loadDesign, printJsonFailure, printProblems } from './load.ts';

export const EXPORT_USAGE = `  export FILE [--format k8s|helm|compose] [--profile quick-start|production] [--out DIR]
         [--namespace NS] [--image-prefix P] [--image-tag T] [--microbus newest|v1] [--cloud aws|gcp]
         [--no-autoscaler] [--policy NAME] [--websocket] [--plane NAME]
         [--ingress-host HOST] [--ingress-class CLASS] [--workdir DIR]   (production)
      manifests from a design: Kubernetes (default), Helm values for the NATS chart + Kubernetes,
      or docker-compose. quick-start runs as applied; production adds NATS TLS and accounts from
      Secrets you create (README.md says which), an Ingress for --ingress-host, and refuses
      untagged images. Without --out, the Kubernetes objects (or the compose file) as one YAML
      stream on stdout, ready for kubectl apply -f -; Helm values need --out; warnings on stderr.
      --policy NAME writes autoscalePolicies NAME's autoscalers (as busboard timeline --policy
      simulates them) and warns when that simulated day misses an SLO`;

/** The boolean flags `export` reads (the parser needs them to know no value follows). */
export const EXPORT_BOOLEANS = ['websocket', 'no-autoscaler'] as const;

export function exportCommand(args: ParsedArgs): number {
  const file = args.positional[0];
  if (!file) throw new UsageError('export needs a FILE (a YAML/JSON design, - for stdin, or example:<id>)');
  const last = (flag: string) => args.flags.get(flag)?.at(-1);
  const format = last('format') ?? 'k8s';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format ${format}: use k8s, helm or compose`);
  const profile = last('profile');
  if (profile !== undefined && !(PROFILES as readonly string[]).includes(profile))
    throw new UsageError(`--profile ${profile}: use quick-start or production`);
  const microbus = last('microbus');
  if (microbus !== undefined && !(MICROBUS_VERSIONS as readonly string[]).includes(microbus))
    throw new UsageError(`--microbus ${microbus}: use newest or v1`);
  const cloud = last('cloud');
  if (cloud !== undefined && cloud !== 'aws' && cloud !== 'gcp') throw new UsageError(`--cloud ${cloud}: use aws or gcp`);
  const loaded = loadDesign(file, args);
  if (!loaded.ok) {
    printProblems(file, loaded, args);
    return 2;
  }
  const options = {
    format,
    profile,
    microbus,
    namespace: last('namespace'),
    imagePrefix: last('image-prefix'),
    imageTag: last('image-tag'),
    cloud,
    plane: last('plane'),
    websocket: args.flags.has('websocket'),
    autoscaler: !args.flags.has('no-autoscaler'),
    policy: last('policy'),
    ingressHost: last('ingress-host'),
    ingressClass: last('ingress-class'),
    workingDir: last('workdir'),
  } as ExportOptions;
  const result = exportDesign(loaded.doc, options);
  if (!result.ok) {
    process.stderr.write(`busboard export: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}\n`);
    for (const p of result.problems) process.stderr.write(`  ${p.path}: ${p.message}\n`);
    printJsonFailure(
      args,
      result.problems.map((p) => ({ path: p.path, message: p.message })),
    );
    // Option and design mistakes are the user's (2); an object Kubernetes would refuse is our bug (1).
    return result.problems.some((p) => p.internal) ? 1 : 2;
  }
  const out = last('out');
  if (out) {
    const root = resolve(out);
    for (const f of result.files) {
      const target = join(root, ...f.path.split('/'));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, f.content);
      process.stderr.write(`wrote ${target}\n`);
    }
  } else {
    process.stdout.write(toYamlStream(result.files));
    const values = result.files.filter((f) => f.type === 'values');
    if (values.length)
      process.stderr.write(
        `note: ${values.map((f) => f.path).join(', ')} (Helm chart values) are not in the stream on stdout, which holds only Kubernetes objects; write every file with --out DIR\n`,
      );
    const jetstream = result.files.filter((f) => f.type === 'json');
    if (jetstream.length)
      process.stderr.write(
        `note: ${jetstream.map((f) => f.path).join(', ')} (JetStream streams and consumers for the nats CLI) are not in the stream on stdout; write every file with --out DIR\n`,
      );
  }
  for (const w of [...result.designWarnings, ...result.warnings]) process.stderr.write(`warning: ${w.path}: ${w.message}\n`);
  return 0;
}
