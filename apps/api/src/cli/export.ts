/** `busboard export FILE --format k8s|helm|compose [--out DIR] …`: thin, the builders live in core. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type Cloud, type ExportFormat, exportDesign, FORMATS, toYamlStream } from '@busboard/core/export';
import { type ParsedArgs, UsageError } from './args.ts';
import { loadDesign, printProblems } from './load.ts';

export const EXPORT_USAGE = `  export FILE [--format k8s|helm|compose] [--out DIR] [--namespace NS] [--image-prefix P] [--cloud aws|gcp] [--websocket]
      manifests from a design: Kubernetes (default), Helm values for the NATS chart + Kubernetes,
      or docker-compose; without --out, one multi-document YAML on stdout; warnings on stderr`;

export function exportCommand(args: ParsedArgs): number {
  const file = args.positional[0];
  if (!file) throw new UsageError('export needs a FILE (a YAML/JSON design, - for stdin, or example:<id>)');
  const last = (flag: string) => args.flags.get(flag)?.at(-1);
  const format = (last('format') ?? 'k8s') as ExportFormat;
  if (!FORMATS.includes(format)) throw new UsageError(`--format ${format}: use k8s, helm or compose`);
  const cloud = last('cloud');
  if (cloud !== undefined && cloud !== 'aws' && cloud !== 'gcp') throw new UsageError(`--cloud ${cloud}: use aws or gcp`);
  const loaded = loadDesign(file);
  if (!loaded.ok) {
    printProblems(file, loaded);
    return 2;
  }
  const result = exportDesign(loaded.doc, {
    format,
    namespace: last('namespace'),
    imagePrefix: last('image-prefix'),
    cloud: cloud as Cloud | undefined,
    plane: last('plane'),
    websocket: args.flags.has('websocket'),
  });
  if (!result.ok) {
    process.stderr.write(`busboard export: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}\n`);
    for (const p of result.problems) process.stderr.write(`  ${p.path}: ${p.message}\n`);
    // Option mistakes are the user's (2); an object Kubernetes would refuse is our bug (1).
    return result.problems.every((p) => ['format', 'namespace', 'cloud', 'plane', 'imagePrefix'].includes(p.path)) ? 2 : 1;
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
  } else process.stdout.write(toYamlStream(result.files));
  for (const w of result.warnings) process.stderr.write(`warning: ${w.path}: ${w.message}\n`);
  return 0;
}
