/**
 * What the API pays for running the engine on its worker pool (apps/api/src/engine/pool.ts)
 * instead of inline on the event loop: the same task (parse + simulate) both ways, on the
 * Checkout example and on generated designs of 200 and 1,000 services. `ratio` = pool ÷ inline
 * (medians of one run); `overheadMs` = pool − inline (posting the document to the worker and the
 * result back, structured clone both ways, and waking the thread: on a machine whose cores are
 * busy, that wake-up dominates for small designs). The browser's per-edit path does not use the pool.
 */
import { EXAMPLES, generateDesign } from '@busboard/core';
import { EnginePool } from '../../apps/api/src/engine/pool.ts';
import { runTask } from '../../apps/api/src/engine/tasks.ts';
import { type Figures, median } from './util.ts';

const round = (x: number) => Math.round(x * 100) / 100;

export async function run(): Promise<Figures> {
  const f: Figures = {};
  const pool = new EnginePool({ workers: 1, timeoutMs: 60_000, memoryMb: 1024 });
  const t0 = performance.now();
  await pool.warm();
  f.workerStartMs = round(performance.now() - t0);
  // The pool's own latency: a task that does nothing, there and back (thread wake-up, two messages).
  const noop: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    await pool.run({ kind: 'burn', cpuMs: 0 });
    noop.push(performance.now() - t);
  }
  f.noopRoundTripMs = round(median(noop.slice(5)));
  const designs: [string, unknown, number][] = [
    ['checkout', EXAMPLES.find((e) => e.id === 'checkout')?.doc, 40],
    ['generated200', generateDesign({ services: 200, seed: 1 }), 20],
    ['generated1000', generateDesign({ services: 1000, seed: 1 }), 6],
  ];
  try {
    for (const [name, doc, runs] of designs) {
      const inline: number[] = [];
      const pooled: number[] = [];
      // Alternate, so load on the shared machine hits both alike; the first of each is warm-up.
      for (let i = 0; i <= runs; i++) {
        let t = performance.now();
        const a = runTask({ kind: 'simulate', doc });
        const ti = performance.now() - t;
        t = performance.now();
        const b = await pool.run({ kind: 'simulate', doc });
        const tp = performance.now() - t;
        if (!a.ok || !b.ok) throw new Error(`${name}: the engine refused the design`);
        if (i > 0) {
          inline.push(ti);
          pooled.push(tp);
        }
      }
      const mi = median(inline);
      const mp = median(pooled);
      f[`${name}InlineMs`] = round(mi);
      f[`${name}PoolMs`] = round(mp);
      f[`${name}Ratio`] = round(mp / mi);
      f[`${name}OverheadMs`] = round(mp - mi);
    }
  } finally {
    await pool.close();
  }
  return f;
}
