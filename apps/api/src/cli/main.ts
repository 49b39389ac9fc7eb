/**
 * The `busboard` command line. Commands that compute (simulate, recommend, check, timeline, cost, compare, export) run
 * in a worker thread under a time budget, `--max-seconds` (default 300): a design too large to
 * compute in that time stops with a clear message and exit code 3 instead of running on (or
 * exhausting memory). The others (inspect, rehearse, calibrate) wait on the network and have
 * their own timeouts.
 */
import { Worker } from 'node:worker_threads';
import { UsageError } from './args.ts';

export const DEFAULT_MAX_SECONDS = 300;
/** Exit code of a command stopped by its time budget. */
export const EXIT_TIME_BUDGET = 3;
const BUDGETED = new Set(['simulate', 'recommend', 'check', 'timeline', 'cost', 'compare', 'export']);

/** `--max-seconds N` or `--max-seconds=N` (the last one), read without loading the commands: the worker loads them. */
function maxSeconds(argv: string[]): number {
  let text: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--max-seconds') text = argv[++i] ?? '';
    else if (a.startsWith('--max-seconds=')) text = a.slice('--max-seconds='.length);
  }
  if (text === undefined) return DEFAULT_MAX_SECONDS;
  const n = Number(text);
  if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`--max-seconds must be a number of seconds above 0, got "${text}"`);
  return n;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || !BUDGETED.has(command)) return (await import('./run.ts')).run(argv);
  let seconds: number;
  try {
    seconds = maxSeconds(rest);
  } catch (err) {
    return (await import('./run.ts')).usageOrThrow(err);
  }
  // From source the worker is plain JS that registers tsx's loader (loader hooks are per thread)
  // before worker-thread.ts; from a program bundle (node-bundle.ts) it is that bundle's worker.mjs.
  const file = import.meta.url.endsWith('.ts') ? './worker.js' : './worker.mjs';
  const worker = new Worker(new URL(file, import.meta.url), { workerData: { argv }, stdout: false, stderr: false });
  return new Promise<number>((resolve, reject) => {
    let code: number | undefined;
    const timer = setTimeout(() => {
      code = EXIT_TIME_BUDGET;
      process.stderr.write(
        `busboard ${command}: stopped after ${seconds} s (--max-seconds ${seconds}): the design takes longer than that to compute. ` +
          'Raise --max-seconds, or make the design smaller (fewer zones, services or workers; for --des, fewer --requests or a --time-budget).\n',
      );
      void worker.terminate();
    }, seconds * 1000);
    worker.on('message', (m: { exitCode: number }) => {
      code ??= m.exitCode;
    });
    worker.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    worker.on('exit', () => {
      clearTimeout(timer);
      resolve(code ?? 1);
    });
  });
}

process.exitCode = await main(process.argv.slice(2));
