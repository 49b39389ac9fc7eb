/**
 * `npm run bench [name…]`: runs every `scripts/bench/*.bench.ts` (or the named ones) and prints
 * one JSON object of figures. Medians, measured in one run: the machines are shared and noisy.
 * Progress goes to stderr so stdout stays one JSON object.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Figures } from './bench/util.ts';

const dir = join(import.meta.dirname, 'bench');
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.bench\.ts$/, '')))
  .sort();

const all: Record<string, Figures> = {};
for (const file of files) {
  const name = file.replace(/\.bench\.ts$/, '');
  process.stderr.write(`bench: ${name}…\n`);
  const mod = (await import(join(dir, file))) as { run(): Promise<Figures> };
  all[name] = await mod.run();
}
process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
