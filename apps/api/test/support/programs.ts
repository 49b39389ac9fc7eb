/**
 * The CLI and the server bundled once per test run (node-bundle.ts's `bundleProgram`) so each
 * test starts them with plain `node` instead of through tsx's loader: the same sources, about
 * 0.7 s less per process. The source entries (bin/busboard.js, `node --import tsx src/main.ts`)
 * keep tests of their own.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { bundleProgram } from '../../src/node-bundle.ts';

const ROOT = join(import.meta.dirname, '../../../..');
const SRC = join(ROOT, 'apps/api/src');

export interface Programs {
  /** `node <cli> simulate …` runs the `busboard` command as bin/busboard.js does. */
  cli: string;
  /** `node <server>` runs the server as `node --import tsx apps/api/src/main.ts` does. */
  server: string;
}

/** Bundles both under the checkout's node_modules/.cache (npm packages resolve from there); `remove` deletes them. */
export async function bundlePrograms(): Promise<Programs & { remove(): void }> {
  const cache = join(ROOT, 'node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'busboard-programs-'));
  await bundleProgram(
    // cli/main.ts starts its worker thread from `worker.mjs` beside itself.
    { cli: join(SRC, 'cli/main.ts'), worker: join(SRC, 'cli/worker-thread.ts'), server: join(SRC, 'main.ts') },
    dir,
  );
  return { cli: join(dir, 'cli.mjs'), server: join(dir, 'server.mjs'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
