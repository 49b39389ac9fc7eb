/** One `busboard` command in main.ts's worker thread: runs it and posts its exit code. */
import { parentPort, workerData } from 'node:worker_threads';
import { run } from './run.ts';

const exitCode = await run((workerData as { argv: string[] }).argv);
parentPort?.postMessage({ exitCode });
