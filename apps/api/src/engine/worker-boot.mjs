// Starts an engine worker thread (worker.ts). Node 20 does not pass `--import tsx` on to
// worker threads, so the thread registers tsx itself before loading the TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
