// Runs one `busboard` command inside main.ts's time budget. Plain JS: tsx's loader hooks are
// registered per thread, so this registers them before importing the TypeScript commands.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { run } = await import('./run.ts');
const exitCode = await run(workerData.argv);
parentPort.postMessage({ exitCode });
