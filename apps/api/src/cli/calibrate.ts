/**
 * `busboard calibrate --prometheus URL FILE [--window S] [--dilation K] [--plane P] [--tolerance T] [--out FILE] [--json]`:
 * the design's figures beside what Prometheus measured, and the calibration the measurements
 * suggest (written to --out, never over FILE). `--import` drafts a whole design instead.
 */
import { writeFileSync } from 'node:fs';
import { calibrateFromMeasurements, compareWithMeasurements, importFromMeasurements, parseTopology, simulate, toJson, toYaml } from '@busboard/core';
import { checkPrometheusUrl, displayUrl, type PrometheusSource } from '../prometheus/client.ts';
import { readMeasurements } from '../prometheus/read.ts';
import { table } from '../rehearse/table.ts';
import { type ParsedArgs, UsageError } from './args.ts';
import { loadDesign, printJsonFailure, printProblems } from './load.ts';

function sourceFrom(args: ParsedArgs): PrometheusSource {
  const url = args.flags.get('prometheus')?.at(-1) ?? process.env.BUSBOARD_PROMETHEUS_URL;
  if (!url) throw new UsageError('calibrate needs --prometheus URL (or BUSBOARD_PROMETHEUS_URL)');
  const problem = checkPrometheusUrl(url);
  if (problem) throw new UsageError(`--prometheus: ${problem}`);
  const token = process.env.BUSBOARD_PROMETHEUS_TOKEN;
  const user = process.env.BUSBOARD_PROMETHEUS_USER;
  return {
    url,
    ...(token
      ? { auth: { kind: 'bearer' as const, token } }
      : user
        ? { auth: { kind: 'basic' as const, username: user, password: process.env.BUSBOARD_PROMETHEUS_PASSWORD ?? '' } }
        : {}),
  };
}

function num(args: ParsedArgs, name: string, fallback: number, min: number, max: number): number {
  const text = args.flags.get(name)?.at(-1);
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!Number.isFinite(v) || v < min || v > max) throw new UsageError(`--${name} must be a number from ${min} to ${max}, got "${text}"`);
  return v;
}

const fmt = (v: number | null, unit: string) =>
  v === null
    ? '–'
    : unit === 'ms'
      ? v >= 100
        ? v.toFixed(0)
        : v >= 10
          ? v.toFixed(1)
          : v.toFixed(2)
      : unit === 'req/s'
        ? v.toFixed(1)
        : v.toFixed(3);

export async function calibrateCommand(args: ParsedArgs): Promise<number> {
  const source = sourceFrom(args);
  const windowS = num(args, 'window', 300, 1, 86_400);
  const timeScale = num(args, 'dilation', 1, 1, 1000);
  const tolerance = num(args, 'tolerance', 0.15, 0, 10);
  const at = args.flags.has('at') ? num(args, 'at', 0, 0, 1e11) : undefined;
  const plane = args.flags.get('plane')?.at(-1);
  const json = args.flags.has('json');
  const out = args.flags.get('out')?.at(-1);
  const read = await readMeasurements(source, { windowS, timeScale, ...(plane ? { plane } : {}), ...(at === undefined ? {} : { at }) });
  if (!read.ok) {
    process.stderr.write(`busboard calibrate: ${read.problem}\n`);
    printJsonFailure(args, [{ path: '', message: read.problem }]);
    return 1;
  }
  const m = read.measurements;

  if (args.flags.has('import')) {
    const drafted = importFromMeasurements(m, null, args.flags.get('name')?.at(-1));
    const text = out?.endsWith('.json') ? toJson(drafted.doc) : toYaml(drafted.doc);
    if (out) writeFileSync(out, text);
    if (json)
      process.stdout.write(`${JSON.stringify({ source: displayUrl(source.url), windowS, doc: drafted.doc, notes: drafted.notes }, null, 2)}\n`);
    else {
      if (!out) process.stdout.write(text);
      for (const n of drafted.notes) process.stderr.write(`note: ${n}\n`);
    }
    return 0;
  }

  const file = args.positional[0];
  if (!file) throw new UsageError('calibrate needs a FILE (a YAML/JSON design, - for stdin, or example:<id>), or --import');
  const loaded = loadDesign(file, args);
  if (!loaded.ok) {
    printProblems(file, loaded, args);
    return 2;
  }
  const input = JSON.parse(JSON.stringify(loaded.doc));
  const predicted = simulate(loaded.doc);
  const calibration = calibrateFromMeasurements(input, m);
  const rows = compareWithMeasurements(loaded.doc, predicted, m, calibration.estimates);
  const within = rows.filter((r) => r.error !== null && Math.abs(r.error) <= tolerance).length;
  const compared = rows.filter((r) => r.error !== null).length;
  if (out) {
    const parsed = parseTopology(calibration.doc);
    if (!parsed.ok) {
      printProblems(out, parsed, args);
      return 2;
    }
    writeFileSync(out, out.endsWith('.json') ? toJson(calibration.doc) : toYaml(calibration.doc));
  }
  if (json) {
    const report = {
      source: displayUrl(source.url),
      windowS,
      timeScale,
      tolerance,
      comparison: rows.map((r) => ({ ...r, withinTolerance: r.error === null ? null : Math.abs(r.error) <= tolerance })),
      calibration: { changes: calibration.changes, skipped: calibration.skipped, estimates: calibration.estimates },
      measurements: m,
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  const o = process.stdout;
  o.write(
    `${loaded.doc.name || file} against ${displayUrl(source.url)}, last ${windowS} s${timeScale !== 1 ? ` (dilation ×${timeScale} undone)` : ''}\n\n`,
  );
  o.write(
    `${table(
      rows.map((r) => ({
        [r.kind]: r.name,
        figure: r.figure,
        predicted: fmt(r.predicted, r.unit),
        measured: fmt(r.measured, r.unit),
        error: r.error === null ? '–' : `${r.error >= 0 ? '+' : ''}${(r.error * 100).toFixed(1)} %${Math.abs(r.error) > tolerance ? ' !' : ''}`,
      })),
    )}\n\n`,
  );
  o.write(`${within}/${compared} figures within ±${(tolerance * 100).toFixed(0)} %\n\n`);
  o.write(calibration.changes.length ? 'calibration (preview; --out FILE writes it):\n' : 'calibration: nothing to change\n');
  for (const c of calibration.changes) o.write(`  ${c.path}: ${c.from} → ${c.to} (${c.reason})\n`);
  for (const s of calibration.skipped) o.write(`  kept ${s}\n`);
  return 0;
}
