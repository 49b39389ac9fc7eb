/**
 * The long rehearsals behind apps/api/src/rehearse/README.md: each example (and the hot-zone
 * design, also with zone-a failed) for 60 s on real nats-server processes with a real
 * Prometheus scraping the emulated replicas; then, from Prometheus, the own-time estimator
 * against the known truth, and a deliberately wrong copy (service times × 2, traffic × 0.5)
 * calibrated back. Prints Markdown tables; `--json FILE` also writes every report.
 *
 *   node --import tsx scripts/rehearsal-runs.ts [--duration 60] [--dilation 10] [--only checkout] [--json FILE]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  calibrateFromMeasurements,
  estimateOwnTimes,
  getExample,
  measuredAtBusiest,
  parseTopology,
  simulate,
  type Topology,
  type TopologyInput,
} from '@busboard/core';
import { loadDesign } from '../apps/api/src/cli/load.ts';
import { readMeasurements } from '../apps/api/src/prometheus/read.ts';
import { type RehearsalReport, rehearse } from '../apps/api/src/rehearse/run.ts';
import { type RunningPrometheus, startPrometheus } from '../apps/api/test/support/prometheus.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const durationS = Number(arg('duration') ?? 60);
const dilation = Number(arg('dilation') ?? 10);
const only = arg('only');
const jsonOut = arg('json');

const HOT = join(import.meta.dirname, '../apps/api/src/rehearse/designs/hot-zone.yaml');
const cases: { label: string; load(): Topology; failZones?: string[] }[] = [
  { label: 'example:checkout', load: () => parsed(getExample('checkout')?.doc) },
  { label: 'example:microbus-shop', load: () => parsed(getExample('microbus-shop')?.doc) },
  { label: 'example:flow8-tier', load: () => parsed(getExample('flow8-tier')?.doc) },
  { label: 'hot-zone.yaml', load: () => fromFile(HOT) },
  { label: 'hot-zone.yaml --fail-zone zone-a', load: () => fromFile(HOT), failZones: ['zone-a'] },
];

function parsed(input: unknown): Topology {
  const p = parseTopology(input);
  if (!p.ok) throw new Error(p.problems[0]?.message);
  return p.doc;
}
function fromFile(file: string): Topology {
  const l = loadDesign(file);
  if (!l.ok) throw new Error(`${file}: ${l.problems[0]?.message}`);
  return l.doc;
}

const pct = (e: number | null | undefined) => (e === null || e === undefined ? '–' : `${e >= 0 ? '+' : ''}${(e * 100).toFixed(1)} %`);
const n3 = (v: number | null | undefined) => (v === null || v === undefined ? '–' : Number(v.toPrecision(3)).toString());

const out: string[] = [];
const reports: Record<string, unknown> = {};
for (const c of cases) {
  if (only && !c.label.includes(only)) continue;
  const doc = c.load();
  process.stderr.write(`rehearsing ${c.label} for ${durationS} s…\n`);
  let prometheus: RunningPrometheus | null = null;
  try {
    const outcome = await rehearse(doc, {
      durationS,
      dilation,
      failZones: c.failZones ?? [],
      beforeLoad: async ({ metricsTargets }) => {
        prometheus = await startPrometheus(metricsTargets);
        await (prometheus as RunningPrometheus).targetsUp();
      },
    });
    if (!outcome.ok) throw new Error(outcome.problems.map((p) => p.message).join('; '));
    const r: RehearsalReport = outcome.report;
    const prom = prometheus as RunningPrometheus | null;
    if (!prom) throw new Error('no Prometheus');
    const read = await readMeasurements(
      { url: prom.url },
      { windowS: Math.floor(r.window.to - r.window.from), at: r.window.to, timeScale: dilation },
    );
    if (!read.ok) throw new Error(read.problem);
    const m = read.measurements;
    const predicted = simulate(doc, { failZones: c.failZones ?? [] });
    const estimates = estimateOwnTimes(doc, m, predicted);
    const wrong = structuredClone(doc) as TopologyInput;
    for (const s of wrong.services ?? []) s.serviceTimeMs *= 2;
    for (const t of wrong.traffic ?? []) t.rps *= 0.5;
    const calibrated = parsed(calibrateFromMeasurements(wrong, m).doc);
    reports[c.label] = { report: r, measurements: m, estimates, calibrated };

    out.push(`### ${c.label}`, '');
    out.push(
      `${r.options.durationS} s measured after ${r.options.warmupS} s warm-up, dilation ×${r.options.dilation}, seed ${r.options.seed}, ${r.processes} processes; ` +
        `target: ${r.target.checks.filter((x) => x.held && x.ok).length}/${r.target.checks.filter((x) => x.held).length} held figures within ±15 %${r.target.met ? '' : ' (NOT MET)'}.`,
      '',
    );
    out.push('| entry | samples | P50 model / measured | P95 model / measured | P99 model / measured |', '|---|---|---|---|---|');
    for (const [name, e] of Object.entries(r.measured.entries)) {
      const p = r.predicted.entries[name]?.latencyMs;
      const err = r.errors.entries[name];
      const cell = (q: 'p50' | 'p95' | 'p99') => `${n3(p?.[q])} / ${n3(e.latencyMs?.[q])} (${pct(err?.[q])})`;
      out.push(`| ${name} | ${e.samples} | ${cell('p50')} | ${cell('p95')} | ${cell('p99')} |`);
    }
    out.push('');
    out.push(
      '| service | ρ model / measured | sojourn mean model / measured | own time: true / estimated from Prometheus | wrong design calibrated back (true) |',
      '|---|---|---|---|---|',
    );
    for (const s of doc.services) {
      const p = r.predicted.services[s.name];
      const ms = r.measured.services[s.name];
      const est = estimates[s.name]?.ownTimeMs ?? null;
      const back = calibrated.services.find((x) => x.name === s.name)?.serviceTimeMs ?? null;
      out.push(
        `| ${s.name} | ${n3(p?.utilization)} / ${n3(measuredAtBusiest(r.predicted, r.measured, s.name))} (${pct(r.errors.services[s.name]?.utilization)}) | ` +
          `${n3(p?.sojournMs?.mean)} / ${n3(ms?.sojournMs?.mean)} (${pct(r.errors.services[s.name]?.sojournMean)}) | ` +
          `${s.serviceTimeMs} / ${n3(est)} (${pct(est === null ? null : (est - s.serviceTimeMs) / s.serviceTimeMs)}) | ` +
          `${n3(back)} (${pct(back === null ? null : (back - s.serviceTimeMs) / s.serviceTimeMs)}) |`,
      );
    }
    const traffic = calibrated.traffic.map(
      (t, i) =>
        `${t.entry} ${n3(t.rps)} req/s (true ${doc.traffic[i]?.rps}, ${pct((t.rps - (doc.traffic[i]?.rps ?? 1)) / (doc.traffic[i]?.rps ?? 1))})`,
    );
    out.push('', `Traffic calibrated back: ${traffic.join(', ')}.`, '');
    const o = r.overhead;
    out.push(
      `Emulator: network per call ${n3(o.hopMs?.designed)} ms designed, ${n3(o.hopMs?.measured)} ms measured (raw NATS one-way ${n3(o.natsOneWayUs.request)} µs + ${n3(o.natsOneWayUs.answer)} µs); ` +
        `timers ${n3(o.timerLateMs.mean * 1000)} µs late on average (sd ${n3(o.timerLateMs.sd * 1000)} µs) in design time; ${n3(o.cpuCores.total)} cores; ${Math.round(o.natsMsgsPerSec)} NATS msgs/s.`,
      '',
    );
  } finally {
    await (prometheus as RunningPrometheus | null)?.close();
  }
}
process.stdout.write(`${out.join('\n')}\n`);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(reports, null, 2));
