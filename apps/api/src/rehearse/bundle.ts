/**
 * The rehearsal's process program, bundled once per run into one ES module with esbuild (the
 * bundler tsx itself runs on): a bundled child starts in ~0.4 s instead of ~1.5 s through tsx's
 * loader on a busy machine, and a rehearsal starts a process per bundle replica.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForNode } from '../node-bundle.ts';

const ENTRY = fileURLToPath(new URL('./child.ts', import.meta.url));

/** Writes `child.mjs` into `dir` and returns its path. */
export async function bundleChild(dir: string): Promise<string> {
  const outfile = join(dir, 'child.mjs');
  await bundleForNode(ENTRY, outfile);
  return outfile;
}
