/**
 * Starts the real server (`apps/api/src/main.ts`, serving the built web app) as a child
 * process on a free port with its own data directory, so a test can restart it. It runs from
 * the bundle global-setup.ts builds; `source: true` runs main.ts through tsx as `npm start` does.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../apps/api/test/support/nats-cluster.ts';

const ROOT = join(import.meta.dirname, '../..');

export interface RunningApp {
  url: string;
  port: number;
  dataDir: string;
  stop(signal?: NodeJS.Signals): Promise<void>;
  restart(): Promise<RunningApp>;
  output(): string;
}

export async function startApp(
  options: { dataDir?: string; port?: number; env?: Record<string, string>; source?: boolean } = {},
): Promise<RunningApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'busboard-e2e-'));
  const port = options.port ?? (await freePort());
  let log = '';
  const bundle = process.env.BUSBOARD_E2E_SERVER;
  const args = options.source || !bundle ? ['--import', 'tsx', 'apps/api/src/main.ts'] : [bundle];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => {
    log += d;
  });
  child.stderr?.on('data', (d) => {
    log += d;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${log}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`server did not start within 30 s:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const app: RunningApp = {
    url,
    port,
    dataDir,
    output: () => log,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill(signal);
      await exited;
    },
    async restart() {
      await app.stop();
      return startApp({ ...options, dataDir, port });
    },
  };
  return app;
}
