/**
 * The rehearsal emulator's own ceiling: the highest request rate it sustains on this machine
 * with its own overhead under 5 % of the figures, and the NATS messages per second it then
 * puts through. The design is a two-hop chain whose latency has a closed form: fixed own times
 * (cv 0) and 1,000 workers, so nothing queues and every request takes exactly
 * own(front) + natsHopMs + own(back) = 2 + 0.13 + 5 = 7.13 ms (design time). Whatever the
 * emulator measures beyond that is its own overhead (timers, event loops, NATS). The rate
 * doubles until the mean latency is off by more than 5 %.
 */
import { parseTopology } from '@busboard/core';
import { rehearse } from '../../apps/api/src/rehearse/run.ts';
import type { Figures } from './util.ts';

const EXACT_MS = 2 + 0.13 + 5;
const DILATION = 20;

const design = (rps: number) => {
  const p = parseTopology({
    schema: 'busboard.topology/v3',
    name: 'emulator ceiling',
    zones: [{ name: 'z1', region: 'r1' }],
    nats: [{ name: 'nats', region: 'r1' }],
    services: [
      { name: 'front.bench', serviceTimeMs: 2, serviceTimeCv: 0, workers: 1000, calls: [{ to: 'back.bench' }] },
      { name: 'back.bench', serviceTimeMs: 5, serviceTimeCv: 0, workers: 1000 },
    ],
    bundles: [
      { name: 'front', services: ['front.bench'], replicas: { z1: 1 } },
      { name: 'back', services: ['back.bench'], replicas: { z1: 2 } },
    ],
    traffic: [{ entry: 'front.bench', rps }],
  });
  if (!p.ok) throw new Error(p.problems[0]?.message);
  return p.doc;
};

export async function run(): Promise<Figures> {
  let best: { rps: number; overhead: number; msgs: number; cores: number } | null = null;
  let firstOver: { rps: number; overhead: number } | null = null;
  // Real rates 25, 50, …, 1,600 requests per second (× dilation in design time). Dilation 20: on a busy 2-core
  // machine one real NATS hop costs ~1–4 ms with its scheduling delays, 0.05–0.2 ms once divided by 20.
  for (let real = 25; real <= 1600; real *= 2) {
    const outcome = await rehearse(design(real * DILATION), { durationS: 8, warmupS: 2, dilation: DILATION, seed: 1 });
    if (!outcome.ok) throw new Error(outcome.problems[0]?.message);
    const r = outcome.report;
    const mean = r.measured.entries['front.bench']?.latencyMs?.mean ?? Number.POSITIVE_INFINITY;
    const overhead = (mean - EXACT_MS) / EXACT_MS;
    const sustained =
      (r.measured.entries['front.bench']?.rps ?? 0) / (real * DILATION) > 0.9 && (r.measured.entries['front.bench']?.failed ?? 0) === 0;
    process.stderr.write(`  rehearse: ${real} req/s real → mean ${mean.toFixed(3)} ms (${(overhead * 100).toFixed(1)} % over ${EXACT_MS} ms)\n`);
    if (Math.abs(overhead) < 0.05 && sustained) best = { rps: real, overhead, msgs: r.overhead.natsMsgsPerSec, cores: r.overhead.cpuCores.total };
    else {
      firstOver = { rps: real, overhead };
      break;
    }
  }
  return {
    rehearse_dilation: DILATION,
    rehearse_max_rps_real: best?.rps ?? 0,
    rehearse_max_rps_design: (best?.rps ?? 0) * DILATION,
    rehearse_overhead_at_max_pct: best ? Number((best.overhead * 100).toFixed(2)) : null,
    rehearse_nats_msgs_per_sec_at_max: best ? Math.round(best.msgs) : null,
    rehearse_cores_at_max: best ? Number(best.cores.toFixed(2)) : null,
    rehearse_first_rps_over_5pct: firstOver?.rps ?? null,
    rehearse_overhead_there_pct: firstOver ? Number((firstOver.overhead * 100).toFixed(2)) : null,
  };
}
