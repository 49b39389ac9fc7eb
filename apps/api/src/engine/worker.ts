/** One engine worker thread (see pool.ts): runs the tasks it is sent, one at a time. */
import { parentPort } from 'node:worker_threads';
import { type EngineTask, runTask } from './tasks.ts';

export interface WorkerRequest {
  id: number;
  task: EngineTask;
}

export type WorkerReply = { id: number; outcome: ReturnType<typeof runTask> } | { id: number; error: string } | { ready: true };

const port = parentPort;
if (!port) throw new Error('engine/worker.ts runs as a worker thread (engine/pool.ts starts it)');
port.on('message', (req: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    reply = { id: req.id, outcome: runTask(req.task) };
  } catch (err) {
    reply = { id: req.id, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: true } satisfies WorkerReply);
