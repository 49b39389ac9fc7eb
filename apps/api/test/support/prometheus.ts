/**
 * A real Prometheus for tests (Debian's `prometheus` 2.42): its own free port, its own TSDB
 * directory and config, scraping the given targets every second. Not the system service.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freePort } from './nats-cluster.ts';

export function prometheusBin(): string | null {
  for (const c of [
    process.env.PROMETHEUS_BIN,
    ...(process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'prometheus')),
    '/usr/bin/prometheus',
  ]) {
    if (!c) continue;
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {}
  }
  return null;
}

export interface RunningPrometheus {
  url: string;
  process: ChildProcess;
  /** Waits until every target has been scraped successfully at least once. */
  targetsUp(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Scrapes `targets`, or whatever a file_sd JSON file lists (`{ sdFile }`, re-read as it changes). */
export async function startPrometheus(targets: string[] | { sdFile: string }, job = 'microbus'): Promise<RunningPrometheus> {
  const bin = prometheusBin();
  if (!bin) throw new Error('prometheus is not installed: apt-get install -y prometheus (npm test installs it)');
  const dir = mkdtempSync(join(tmpdir(), 'busboard-prometheus-'));
  const port = await freePort();
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      'scrape_configs:',
      `  - job_name: ${job}`,
      '    scrape_interval: 1s',
      '    scrape_timeout: 900ms',
      ...(Array.isArray(targets)
        ? ['    static_configs:', `      - targets: [${targets.map((t) => `'${t}'`).join(', ')}]`]
        : ['    file_sd_configs:', `      - files: ['${targets.sdFile}']`, '        refresh_interval: 1s']),
      '',
    ].join('\n'),
  );
  const child = spawn(bin, [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => {
    log = (log + d.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) break;
    } catch {}
    if (child.exitCode !== null || Date.now() > deadline) {
      await close();
      throw new Error(`prometheus did not start: ${log.trim().split('\n').slice(-3).join(' | ')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    process: child,
    close,
    async targetsUp(timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const res = (await (await fetch(`${url}/api/v1/targets`)).json()) as { data: { activeTargets: { health: string }[] } };
        const active = res.data.activeTargets;
        const expected = Array.isArray(targets) ? targets.length : active.length;
        if (active.length > 0 && active.length === expected && active.every((t) => t.health === 'up')) return;
        if (Date.now() > until) throw new Error(`prometheus targets not up: ${active.map((t) => t.health).join(', ')}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    },
  };
}
