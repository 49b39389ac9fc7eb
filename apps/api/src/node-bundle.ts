/**
 * One TypeScript entry bundled into one ES module for Node with esbuild (the bundler tsx itself
 * runs on): a bundled worker thread or child process starts in a fraction of the time tsx's
 * loader takes. Used by the engine pool's workers and the rehearsal's processes.
 */
import { build } from 'esbuild';

/** Bundles `entry` (an absolute path) into `outfile`. */
export async function bundleForNode(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'silent',
    // CommonJS dependencies inside an ES module bundle call require().
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
}
