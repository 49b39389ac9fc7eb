/** Helpers for benchmarks: medians over repeated runs, measured in one process. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Median wall time in ms of `fn` over `runs` runs after `warmup` unmeasured ones. */
export function timeMs(fn: () => void, runs = 50, warmup = 5): number {
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

export async function timeMsAsync(fn: () => Promise<void>, runs = 20, warmup = 3): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

/** A benchmark module: `scripts/bench/<name>.bench.ts` exporting `run()` that returns figures. */
export type Figures = Record<string, number | string | boolean | null>;

/** Median CPU time (user + system) of `fn` over `runs` runs after `warmup` unmeasured ones, in ms: steadier than wall time on a shared machine. */
export function cpuMs(fn: () => void, runs: number, warmup = 0): number {
  for (let i = 0; i < warmup; i++) fn();
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    fn();
    const d = process.cpuUsage(c);
    xs.push((d.user + d.system) / 1000);
  }
  return median(xs);
}
