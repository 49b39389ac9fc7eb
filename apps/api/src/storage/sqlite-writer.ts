/**
 * The SQLite store's writer: a worker thread with its own connection that runs every write.
 * A commit waits for the disk (`synchronous = FULL`: the WAL is fsynced before a save is
 * acknowledged), and better-sqlite3 waits synchronously; in this thread that wait no longer
 * stalls the server, which goes on parsing and validating the next requests meanwhile.
 *
 * Group commit: jobs that arrive while a commit is under way are committed together in one
 * transaction, so one fsync acknowledges several writes. Each job runs in its own savepoint,
 * so a job that throws fails alone; no result is posted before its commit is on disk.
 *
 * Protocol (see SqliteWriter in sqlite.ts): `{ seq, job, at }` in; `{ results: [seq, outcome][] }`
 * out after each commit; `{ close: true }` commits what is queued, closes, and answers `{ closed: true }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { connectSqlite } from './sqlite-schema.ts';
import { prepareWrites, type WriteJob } from './sqlite-writes.ts';

export type WriterRequest = { seq: number; job: WriteJob; at: number } | { close: true };
export type WriteOutcome = { value: unknown } | { error: { name: string; message: string; code?: string } };
export type WriterReply = { results: [number, WriteOutcome][] } | { closed: true } | { failed: { message: string } };

const port = parentPort;
if (!port) throw new Error('sqlite-writer.ts runs as a worker thread');

let db: Database.Database;
let run: ReturnType<typeof prepareWrites>;
try {
  db = connectSqlite((workerData as { file: string }).file);
  run = prepareWrites(db);
} catch (err) {
  port.postMessage({ failed: { message: (err as Error).message } } satisfies WriterReply);
  throw err;
}

const outcomeOf = (err: unknown): WriteOutcome => {
  const e = err as { name?: string; message?: string; code?: string };
  return { error: { name: e?.name ?? 'Error', message: e?.message ?? String(err), ...(e?.code ? { code: e.code } : {}) } };
};

let queue: { seq: number; job: WriteJob; at: number }[] = [];

function flush() {
  const batch = queue;
  queue = [];
  if (!batch.length) return;
  const results: [number, WriteOutcome][] = [];
  try {
    db.transaction(() => {
      for (const { seq, job, at } of batch) {
        try {
          results.push([seq, { value: db.transaction(() => run(job, new Date(at)))() }]);
        } catch (err) {
          results.push([seq, outcomeOf(err)]);
        }
      }
    }).immediate();
  } catch (err) {
    // The commit itself failed: nothing of this batch is on disk.
    const outcome = outcomeOf(err);
    port?.postMessage({ results: batch.map(({ seq }) => [seq, outcome]) } satisfies WriterReply);
    return;
  }
  port?.postMessage({ results } satisfies WriterReply);
}

port.on('message', (msg: WriterRequest) => {
  if ('close' in msg) {
    flush();
    db.close();
    port.postMessage({ closed: true } satisfies WriterReply);
    port.close();
    return;
  }
  queue.push(msg);
  if (queue.length === 1) setImmediate(flush);
});
