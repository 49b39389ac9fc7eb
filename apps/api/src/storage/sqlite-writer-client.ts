/** The SQLite store's writer thread (sqlite-writer.ts), seen from the server. */
import { Worker } from 'node:worker_threads';
import type { WriteOutcome, WriterReply, WriterRequest } from './sqlite-writer.ts';
import type { WriteJob } from './sqlite-writes.ts';

/**
 * The server's side of the writer thread: posts jobs, resolves each once its commit is on
 * disk. The thread keeps the process alive only while writes are pending.
 */
export class SqliteWriter {
  #worker: Worker;
  #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  #seq = 0;
  #failure: Error | undefined;
  #closed: Promise<void> | undefined;
  #onClosed: (() => void) | undefined;

  constructor(file: string) {
    this.#worker = new Worker(new URL('./sqlite-writer-boot.mjs', import.meta.url), { workerData: { file } });
    this.#worker.unref();
    this.#worker.on('message', (msg: WriterReply) => {
      if ('results' in msg) {
        for (const [seq, outcome] of msg.results) this.#settle(seq, outcome);
      } else if ('closed' in msg) {
        this.#onClosed?.();
      } else {
        this.#fail(new Error(`the SQLite writer could not open the database: ${msg.failed.message}`));
      }
    });
    this.#worker.on('error', (err) => this.#fail(err));
    this.#worker.on('exit', () => {
      this.#fail(new Error('the SQLite writer stopped'));
      this.#onClosed?.();
    });
  }

  run(job: WriteJob, at: Date): Promise<unknown> {
    if (this.#failure) return Promise.reject(this.#failure);
    const seq = ++this.#seq;
    return new Promise((resolve, reject) => {
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(seq, { resolve, reject });
      this.#worker.postMessage({ seq, job, at: at.getTime() } satisfies WriterRequest);
    });
  }

  /** Why the writer cannot take writes (it failed to open the database, or stopped), if it cannot. */
  get failure(): Error | undefined {
    return this.#closed ? undefined : this.#failure;
  }

  /** Commits what is queued, then stops the thread. */
  close(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve) => {
      this.#onClosed = resolve;
      if (this.#failure) return resolve();
      this.#worker.ref();
      this.#worker.postMessage({ close: true } satisfies WriterRequest);
    });
    return this.#closed;
  }

  #settle(seq: number, outcome: WriteOutcome) {
    const p = this.#pending.get(seq);
    if (!p) return;
    this.#pending.delete(seq);
    if (this.#pending.size === 0) this.#worker.unref();
    if ('value' in outcome) p.resolve(outcome.value);
    else p.reject(Object.assign(new Error(outcome.error.message), outcome.error));
  }

  #fail(err: Error) {
    this.#failure ??= err;
    for (const p of this.#pending.values()) p.reject(this.#failure);
    this.#pending.clear();
  }
}
