/**
 * The real server (`src/main.ts`) as a child process on a free port, for tests that kill it,
 * restart it, or run two of them against one database. It runs from the program bundle built
 * once per test run (programs.ts); `source: true` runs `src/main.ts` through tsx as `npm start` does.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { inject } from 'vitest';
import type {} from './global-setup.ts'; // inject('programs')'s type
import { freePort } from './nats-cluster.ts';

const ROOT = join(import.meta.dirname, '../../../..');

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or the signal's name) once the process is gone. */
  exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): Promise<number | string>;
}

export async function startServerProcess(
  env: Record<string, string>,
  options: { port?: number; waitReady?: boolean; source?: boolean } = {},
): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  let log = '';
  const args = options.source ? ['--import', 'tsx', 'apps/api/src/main.ts'] : [inject('programs').server];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'warn', BUSBOARD_WEB_DIST: '/nonexistent', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => {
    log += d;
  });
  child.stderr?.on('data', (d) => {
    log += d;
  });
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const url = `http://127.0.0.1:${port}`;
  const proc: ServerProcess = {
    url,
    port,
    child,
    output: () => log,
    exited,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  if (options.waitReady === false) return proc;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${log}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {}
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not become ready within 60 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return proc;
}
