/**
 * `rehearse`: runs a design on real nats-server processes with one emulated process per bundle
 * replica, offers its traffic, measures, and compares with what the engine predicts for the
 * same what-if. Expected failures (no nats-server, a design the plan refuses) are values.
 */
import { type ChildProcess, fork } from 'node:child_process';
import {
  type DatabaseReport,
  type GeneratorReport,
  type RehearsalPlan,
  type ReplicaReport,
  rehearsalErrors,
  rehearsalPlan,
  simulate,
  summarize,
  type Topology,
  targetSummary,
} from '@busboard/core';
import { bundleChild } from './bundle.ts';
import { findNatsServer, NATS_MISSING, type RunningCluster, startCluster } from './cluster.ts';
import { notesFor } from './notes.ts';
import type { FromChild, ReplicaTick, Role, ToChild } from './protocol.ts';
import type { RehearsalOutcome, RehearsalProgress, RehearsalReport, RehearseOptions } from './report.ts';

export type { RehearsalOutcome, RehearsalProgress, RehearsalReport, RehearseOptions } from './report.ts';

interface Child {
  process: ChildProcess;
  role: Role;
  ready: Promise<number | null>;
  next(type: FromChild['type']): Promise<FromChild>;
  send(m: ToChild): void;
}

function startChild(program: string, role: Role, plan: RehearsalPlan, servers: Record<string, string>, seed: number): Child {
  const proc = fork(program, [], { execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' });
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2000);
  });
  const waiters: { type: FromChild['type']; resolve(m: FromChild): void; reject(e: Error): void }[] = [];
  const fail = (err: Error) => {
    for (const w of waiters.splice(0)) w.reject(err);
  };
  proc.on('message', (m: FromChild) => {
    if (m.type === 'error') return fail(new Error(`${describe(role)}: ${m.message}`));
    const i = waiters.findIndex((w) => w.type === m.type);
    if (i >= 0) waiters.splice(i, 1)[0]?.resolve(m);
  });
  proc.on('exit', (code) => fail(new Error(`${describe(role)} exited (code ${code})${stderr ? `: ${stderr.trim()}` : ''}`)));
  const child: Child = {
    process: proc,
    role,
    next: (type) => new Promise((resolve, reject) => waiters.push({ type, resolve, reject })),
    send: (m) => {
      if (proc.connected) proc.send(m);
    },
    ready: Promise.resolve(null),
  };
  child.ready = child.next('ready').then((m) => (m.type === 'ready' ? m.metricsPort : null));
  child.send({ type: 'init', role, plan, servers, seed });
  return child;
}

function describe(role: Role): string {
  return role.kind === 'replica' ? `replica ${role.replicaId}` : role.kind;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const onAbort = () => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export async function rehearse(doc: Topology, options: RehearseOptions): Promise<RehearsalOutcome> {
  const bin = findNatsServer();
  if (!bin) return { ok: false, problems: [{ path: '', message: NATS_MISSING }] };
  const scale = options.scale ?? 1;
  const failZones = options.failZones ?? [];
  // A fresh seed by default: arrival counts vary run to run as they would; --seed repeats the draws.
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const planned = rehearsalPlan(doc, { scale, failZones, dilation: options.dilation ?? 10, seed });
  if (!planned.ok) return planned;
  const plan = planned.plan;
  const durationS = options.durationS;
  const warmupS = options.warmupS ?? Math.max(3, durationS * 0.1);
  const totalS = durationS + warmupS;
  const progress = (p: Omit<RehearsalProgress, 'totalS'>) => options.onProgress?.({ ...p, totalS });
  const predicted = options.predicted ?? simulate(doc, { scale, failZones });

  let cluster: RunningCluster | null = null;
  const children: Child[] = [];
  const began = Date.now();
  try {
    progress({ phase: 'starting', elapsedS: 0 });
    cluster = await startCluster(plan, bin, options.signal);
    if (process.env.BUSBOARD_REHEARSE_DEBUG) process.stderr.write(`cluster after ${Date.now() - began} ms\n`);
    options.onCluster?.({ monitorUrls: cluster.servers.map((s) => s.monitorUrl), natsUrls: cluster.servers.map((s) => s.url) });
    const servers = Object.fromEntries(cluster.servers.map((s) => [s.name, s.url]));
    const program = await bundleChild(cluster.dir);
    for (const r of plan.replicas) children.push(startChild(program, { kind: 'replica', replicaId: r.id }, plan, servers, seed));
    if (Object.keys(plan.databases).length) children.push(startChild(program, { kind: 'database' }, plan, servers, seed));
    const generator = startChild(program, { kind: 'generator' }, plan, servers, seed);
    children.push(generator);
    const ports = await Promise.all(children.map((c) => c.ready));
    if (process.env.BUSBOARD_REHEARSE_DEBUG) process.stderr.write(`ready after ${Date.now() - began} ms\n`);
    if (options.signal?.aborted) return stopped();
    await options.beforeLoad?.({ metricsTargets: ports.filter((p): p is number => p !== null).map((p) => `127.0.0.1:${p}`) });

    generator.send({ type: 'start' });
    const t0 = Date.now();
    while (Date.now() - t0 < warmupS * 1000 && !options.signal?.aborted) {
      await sleep(Math.min(1000, warmupS * 1000 - (Date.now() - t0)), options.signal);
      progress({ phase: 'warming up', elapsedS: (Date.now() - t0) / 1000 });
    }
    if (options.signal?.aborted) return stopped();
    for (const c of children) c.send({ type: 'reset' });
    const measuringFrom = Date.now();
    let measuringTo = measuringFrom;
    const rates = new Map<string, { sent: number; sum: number; answered: number }>();
    while (Date.now() - measuringFrom < durationS * 1000 && !options.signal?.aborted) {
      await sleep(Math.min(1000, durationS * 1000 - (Date.now() - measuringFrom)), options.signal);
      const windowS = (Date.now() - measuringFrom) / 1000;
      const ticks = await Promise.all(children.filter((c) => c.role.kind !== 'database').map((c) => askTick(c)));
      progress({ phase: 'measuring', elapsedS: warmupS + windowS, ...liveFigures(plan, ticks, rates, windowS) });
    }
    if (options.signal?.aborted) return stopped();
    measuringTo = Date.now();
    progress({ phase: 'collecting', elapsedS: totalS });
    generator.send({ type: 'quiet' });
    const reports = await Promise.all(
      children.map(async (c) => {
        const r = c.next('report');
        c.send({ type: 'report' });
        return r;
      }),
    );
    const replicas: ReplicaReport[] = [];
    let database: DatabaseReport | null = null;
    let gen: GeneratorReport | null = null;
    for (const r of reports) {
      if (r.type !== 'report') continue;
      if (r.replica) replicas.push(r.replica);
      if (r.database) database = r.database;
      if (r.generator) gen = r.generator;
    }
    if (!gen) throw new Error('the load generator sent no report');
    const { measured, overhead } = summarize(plan, { replicas, generator: gen, database });
    const calls = Object.fromEntries(doc.services.map((s) => [s.name, s.calls.map((c) => c.to)]));
    const report: RehearsalReport = {
      design: doc.name,
      options: { durationS, warmupS, scale, failZones, dilation: plan.dilation, seed },
      window: { from: measuringFrom / 1000, to: measuringTo / 1000 },
      predicted,
      measured,
      errors: rehearsalErrors(predicted, measured),
      target: targetSummary(predicted, measured, calls),
      overhead,
      notes: [],
      monitorUrls: cluster.servers.map((s) => s.monitorUrl),
      processes: children.length + cluster.servers.length,
    };
    report.notes = notesFor(plan, report);
    return { ok: true, report };
  } catch (err) {
    // Servers that did not come up, a replica that died: expected failures, said as values.
    if (options.signal?.aborted) return stopped();
    return { ok: false, problems: [{ path: '', message: (err as Error).message }] };
  } finally {
    await Promise.resolve(options.beforeTeardown?.()).catch(() => undefined);
    await Promise.all(children.map((c) => stopChild(c)));
    await cluster?.close();
  }
}

function stopped(): RehearsalOutcome {
  return { ok: false, problems: [{ path: '', message: 'the rehearsal was stopped' }] };
}

async function askTick(c: Child): Promise<FromChild | null> {
  const reply = c.next('tick');
  c.send({ type: 'tick' });
  return Promise.race([reply, sleep(2000).then(() => null)]).catch(() => null);
}

function liveFigures(
  plan: RehearsalPlan,
  ticks: (FromChild | null)[],
  rates: Map<string, { sent: number; sum: number; answered: number }>,
  windowS: number,
): Pick<RehearsalProgress, 'services' | 'entries'> {
  const k = plan.dilation;
  const services: NonNullable<RehearsalProgress['services']> = {};
  const byService = new Map<string, { zone: string; tick: ReplicaTick[string] }[]>();
  for (const t of ticks) {
    if (t?.type !== 'tick') continue;
    if (t.replica) {
      for (const [name, v] of Object.entries(t.replica)) {
        byService.set(name, [...(byService.get(name) ?? []), { zone: '', tick: v }]);
      }
    }
    if (t.entries) {
      for (const [name, e] of Object.entries(t.entries)) {
        const r = rates.get(name) ?? { sent: 0, sum: 0, answered: 0 };
        r.sent += e.sent;
        r.answered += e.answered;
        r.sum += e.latencySumMs;
        rates.set(name, r);
      }
    }
  }
  for (const [name, list] of byService) {
    const workers = plan.services[name]?.workers ?? 1;
    // The mean over replicas: a single replica's first seconds are too noisy to show.
    const mean = list.reduce((a, l) => a + l.tick.busyMs, 0) / (workers * list.length * windowS * 1000);
    services[name] = { utilization: mean, arrivalRps: (list.reduce((a, l) => a + l.tick.arrivals, 0) / windowS) * k };
  }
  const entries: NonNullable<RehearsalProgress['entries']> = {};
  for (const [name, r] of rates) entries[name] = { rps: (r.sent / windowS) * k, meanMs: r.answered ? r.sum / r.answered / k : null };
  return { services, entries };
}

async function stopChild(c: Child): Promise<void> {
  const p = c.process;
  if (p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => p.once('exit', () => resolve()));
  c.send({ type: 'stop' });
  const t = setTimeout(() => p.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(t);
}
