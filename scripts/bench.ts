/**
 * `npm run bench`: prints one JSON object of figures (medians over repeated runs, measured in
 * one process so ratios are fair on a noisy shared machine).
 */
import { EXAMPLES, parseTopology, simulate } from '@busboard/core';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

function timeMs(fn: () => void, runs = 50, warmup = 5): number {
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

const figures: Record<string, number> = {};
for (const ex of EXAMPLES) {
  const parsed = parseTopology(ex.doc);
  if (!parsed.ok) throw new Error(`example ${ex.id} is invalid`);
  figures[`simulate_${ex.id.replace(/-/g, '_')}_ms`] = timeMs(() => simulate(parsed.doc));
  figures[`parse_${ex.id.replace(/-/g, '_')}_ms`] = timeMs(() => parseTopology(ex.doc));
}
process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
