/**
 * `busboard rehearse FILE [--duration S] [--scale X] [--fail-zone ZONE]... [--dilation K] [--json]`:
 * the design on real nats-server processes, predicted against measured.
 */
import { formatProblem } from '@busboard/core';
import { rehearse } from '../rehearse/run.ts';
import { printRehearsal } from '../rehearse/table.ts';
import { type ParsedArgs, UsageError } from './args.ts';
import { loadDesign, printJsonFailure, printProblems } from './load.ts';
import { failZonesFlag, fileArg, scaleFlag } from './scenario.ts';

function numberFlag(args: ParsedArgs, name: string, fallback: number, min: number, max: number): number {
  const text = args.flags.get(name)?.at(-1);
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!Number.isFinite(v) || v < min || v > max) throw new UsageError(`--${name} must be a number from ${min} to ${max}, got "${text}"`);
  return v;
}

export async function rehearseCommand(args: ParsedArgs): Promise<number> {
  const file = fileArg(args, 'rehearse');
  const scale = scaleFlag(args);
  const durationS = numberFlag(args, 'duration', 60, 1, 3600);
  const dilation = numberFlag(args, 'dilation', 10, 1, 1000);
  const warmup = args.flags.has('warmup') ? numberFlag(args, 'warmup', 0, 0, 600) : undefined;
  const seed = args.flags.has('seed') ? numberFlag(args, 'seed', 1, 0, 2 ** 31 - 1) : undefined;
  const loaded = loadDesign(file, args);
  if (!loaded.ok) {
    printProblems(file, loaded, args);
    return 2;
  }
  const failZones = failZonesFlag(args, loaded.doc);
  const json = args.flags.has('json');
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let lastPhase = '';
  const outcome = await rehearse(loaded.doc, {
    durationS,
    ...(warmup === undefined ? {} : { warmupS: warmup }),
    scale,
    failZones,
    dilation,
    ...(seed === undefined ? {} : { seed }),
    signal: controller.signal,
    onCluster: ({ monitorUrls }) => process.stderr.write(`monitor: ${monitorUrls.join(',')}\n`),
    onProgress: (p) => {
      if (p.phase !== lastPhase || p.phase === 'measuring') {
        const entries = Object.entries(p.entries ?? {})
          .map(([e, v]) => `${e} ${v.rps.toFixed(0)} rps${v.meanMs === null ? '' : ` mean ${v.meanMs.toFixed(1)} ms`}`)
          .join(', ');
        process.stderr.write(`${p.phase} ${p.elapsedS.toFixed(0)}/${p.totalS.toFixed(0)} s${entries ? `: ${entries}` : ''}\n`);
      }
      lastPhase = p.phase;
    },
  });
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  if (!outcome.ok) {
    for (const p of outcome.problems) process.stderr.write(`busboard rehearse: ${formatProblem(p)}\n`);
    printJsonFailure(args, outcome.problems);
    return controller.signal.aborted ? 130 : 2;
  }
  if (json) process.stdout.write(`${JSON.stringify(outcome.report, null, 2)}\n`);
  else printRehearsal(outcome.report);
  return 0;
}
