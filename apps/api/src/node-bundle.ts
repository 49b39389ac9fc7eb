/**
 * One TypeScript entry bundled into one ES module for Node with esbuild (the bundler tsx itself
 * runs on): a bundled worker thread or child process starts in a fraction of the time tsx's
 * loader takes. Used by the engine pool's workers and the rehearsal's processes, and by the
 * tests, which run the CLI and the server from a program bundle (`bundleProgram`).
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

// CommonJS dependencies inside an ES module bundle call require().
const REQUIRE_BANNER = "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

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
    banner: { js: REQUIRE_BANNER },
  });
}

/**
 * Bundles a program's own TypeScript (the workspace's sources, `@busboard/*` included) into
 * `outdir` as ES modules that share chunks, `<name>.mjs` per entry; npm packages stay imports
 * that Node resolves from `outdir` upwards, so `outdir` must sit inside the checkout (e.g. under
 * `node_modules/.cache`). Started with plain `node`, the program skips tsx's loader, which costs
 * about 0.7 s per process on a busy 2-core machine.
 *
 * A module that finds a file beside itself (`new URL('./x', import.meta.url)`: a thread's boot
 * file, a child's entry, the web build) keeps finding it beside its source; only the entries see
 * the bundle's own URL (cli/main.ts uses that to start its bundled worker).
 */
export async function bundleProgram(entries: Record<string, string>, outdir: string): Promise<void> {
  const entryFiles = new Set(Object.values(entries));
  const program: Plugin = {
    name: 'busboard-program',
    setup(b) {
      // npm packages (bare names other than the workspace's) are loaded by Node as they are installed.
      b.onResolve({ filter: /^[^./]/ }, (args) =>
        args.path.startsWith('@busboard/') || args.path.startsWith('node:') ? undefined : { path: args.path, external: true },
      );
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        const text = await readFile(args.path, 'utf8');
        if (entryFiles.has(args.path) || !text.includes('import.meta.url')) return undefined;
        const here = JSON.stringify(pathToFileURL(args.path).href);
        return { contents: text.replace(/(?<=,\s*)import\.meta\.url(?=\s*\))/g, here), loader: 'ts' };
      });
    },
  };
  await build({
    entryPoints: entries,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir,
    outExtension: { '.js': '.mjs' },
    plugins: [program],
    logLevel: 'silent',
    banner: { js: REQUIRE_BANNER },
  });
}
