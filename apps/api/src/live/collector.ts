/**
 * A collector polls one cluster connection and turns each poll into a `LiveSnapshot` (core's
 * `buildSnapshot`). It picks the best source it can reach and says which: the system account
 * (`$SYS.REQ.SERVER.PING.*`), else HTTP monitoring (when URLs are configured), else the
 * account-scoped `$SYS.REQ.ACCOUNT.PING.CONNZ`. Micro services and probes go through the
 * ordinary connection. A failure of one poll never stops the next.
 */
import { buildSnapshot, type LiveSnapshot, type LiveSource, type ProbeSample, type RawCollection, type RawServerReplies } from '@busboard/core';
import type { NatsConnection } from '@nats-io/transport-node';
import { describeAuth, type LiveConnectionConfig, stripUserInfo } from './config.ts';
import { connectNats } from './nats.ts';
import { collectAccount } from './sources/account.ts';
import { collectJetStreamApi } from './sources/jetstream-api.ts';
import { collectMicro } from './sources/micro.ts';
import { MonitorSource } from './sources/monitor.ts';
import { collectSystem, type TimingOptions } from './sources/system.ts';

export type CollectorState = 'idle' | 'connecting' | 'ok' | 'error';

export interface CollectorStatus {
  state: CollectorState;
  /** What went wrong, in words that say what to fix; null when all is well. */
  message: string | null;
  source: LiveSource | null;
  sourceDetail: string | null;
  polls: number;
  lastPollMs: number | null;
}

export interface LiveUpdate {
  connectionId: string;
  status: CollectorStatus;
  snapshot: LiveSnapshot | null;
}

export interface CollectorOptions {
  now?: () => number;
  /** Probe samples kept per service and per server (the histograms' window). */
  probeWindow?: number;
  /** Full discovery (no early end) every this many polls. */
  rediscoverEvery?: number;
  /** Sees every raw collection before it becomes a snapshot (recording fixtures, debugging). */
  onCollection?: (collection: RawCollection) => void;
  /** Why this connection may not be polled (the outbound allow-list refuses it); nothing is contacted. */
  refused?: string;
}

export class Collector {
  latest: LiveSnapshot | null = null;
  status: CollectorStatus = { state: 'idle', message: null, source: null, sourceDetail: null, polls: 0, lastPollMs: null };
  private main: NatsConnection | null = null;
  private sys: NatsConnection | null = null;
  private readonly monitor = new MonitorSource();
  private readonly listeners = new Set<(u: LiveUpdate) => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private polling: Promise<LiveSnapshot | null> | null = null;
  private probes = new Map<string, ProbeSample[]>();
  private connectFailures = 0;
  private nextConnectAt = 0;
  private readonly now: () => number;

  constructor(
    readonly config: LiveConnectionConfig,
    private readonly options: CollectorOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  get timing(): TimingOptions & { timeoutMs: number; probesPerService: number } {
    const poll = this.config.pollMs;
    const maxWaitMs = Math.max(250, Math.min(3000, Math.round(poll * 0.75)));
    return { maxWaitMs, stallMs: 250, graceMs: 40, pageSize: 256, maxPages: 400, timeoutMs: maxWaitMs, probesPerService: 3 };
  }

  subscribe(listener: (u: LiveUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Starts polling every `pollMs` (the first poll at once). */
  start(): void {
    if (this.running) return;
    this.running = true;
    const loop = async () => {
      const started = this.now();
      await this.pollOnce();
      if (!this.running) return;
      this.timer = setTimeout(loop, Math.max(0, this.config.pollMs - (this.now() - started)));
    };
    void loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.polling;
    await Promise.all([this.main?.close(), this.sys && this.sys !== this.main ? this.sys.close() : undefined].map((p) => p?.catch(() => {})));
    this.main = null;
    this.sys = null;
  }

  /** One poll; concurrent callers share the poll in flight. */
  pollOnce(): Promise<LiveSnapshot | null> {
    if (!this.polling) {
      this.polling = this.doPoll().finally(() => {
        this.polling = null;
      });
    }
    return this.polling;
  }

  private async ensureConnected(): Promise<string | null> {
    const c = this.config;
    if (!c.servers.length) return null;
    if (this.main && (!c.systemAuth || this.sys)) return null;
    if (this.now() < this.nextConnectAt) return this.status.message ?? 'waiting to reconnect';
    if (!this.latest) this.status = { ...this.status, state: 'connecting' };
    try {
      this.main ??= await connectNats({ servers: c.servers, auth: c.auth, tlsCaFile: c.tlsCaFile, name: `busboard ${c.name}` });
      if (c.systemAuth)
        this.sys ??= await connectNats({ servers: c.servers, auth: c.systemAuth, tlsCaFile: c.tlsCaFile, name: `busboard ${c.name} (system)` });
      this.connectFailures = 0;
      return null;
    } catch (err) {
      this.connectFailures++;
      this.nextConnectAt = this.now() + Math.min(30_000, c.pollMs * 2 ** (this.connectFailures - 1));
      return (err as Error).message;
    }
  }

  private async doPoll(): Promise<LiveSnapshot | null> {
    const t0 = performance.now();
    if (this.options.refused) {
      this.status = { ...this.status, state: 'error', message: this.options.refused, polls: this.status.polls + 1, lastPollMs: 0 };
      this.emit();
      return null;
    }
    const c = this.config;
    const t = this.timing;
    const collectedAt = this.now();
    const warnings: string[] = [];
    const probes: ProbeSample[] = [];
    let servers: RawServerReplies[] = [];
    let source: LiveSource | null = null;
    let detail = '';
    const connectError = await this.ensureConnected();
    if (connectError) warnings.push(connectError);
    const prev = this.latest;
    const full = this.status.polls % (this.options.rediscoverEvery ?? 5) === 0;
    const knownServers = new Set(full ? [] : (prev?.servers ?? []).filter((s) => s.up && !s.id.startsWith('url:')).map((s) => s.id));

    const sysConn = this.sys ?? this.main;
    if (sysConn && !sysConn.isClosed()) {
      const sys = await collectSystem(sysConn, knownServers, t).catch((err: Error) => {
        warnings.push(`system-account collection failed: ${err.message}`);
        return null;
      });
      if (sys) {
        servers = sys.servers;
        probes.push(...sys.probes);
        warnings.push(...sys.warnings);
        source = 'system';
        detail = `$SYS.REQ.SERVER.PING.* as ${describeAuth(c.systemAuth ?? c.auth)} (system account)`;
      } else if (c.systemAuth)
        warnings.push(`the system user (${describeAuth(c.systemAuth)}) got no reply to $SYS.REQ.SERVER.PING; is it in the system account?`);
    }
    if (!source && c.monitorUrls.length) {
      servers = await this.monitor.collect(c.monitorUrls, collectedAt, t, c.monitorAuth);
      source = 'monitor';
      detail = `HTTP monitoring at ${c.monitorUrls.map(stripUserInfo).join(', ')}`;
    }
    let jsApi: RawCollection['jsApi'];
    if (!source && this.main && !this.main.isClosed()) {
      const acct = await collectAccount(this.main, knownServers, t).catch(() => null);
      if (acct) {
        servers = acct.servers;
        probes.push(...acct.probes);
        jsApi = (await collectJetStreamApi(this.main, t, accountOf(acct.servers, c.name))) ?? undefined;
        source = 'account';
        detail = `$SYS.REQ.ACCOUNT.PING.CONNZ as ${describeAuth(c.auth)} (this account's connections only; routes and gateways need a system user or monitoring URLs)`;
      }
    }
    let micro: RawCollection['micro'];
    if (this.main && !this.main.isClosed()) {
      const knownInstances = new Set(
        full ? [] : (prev?.services ?? []).filter((s) => s.kind === 'micro').flatMap((s) => s.instances.map((i) => `${s.name}/${i.id}`)),
      );
      const m = await collectMicro(this.main, knownInstances, t).catch((err: Error) => {
        warnings.push(`micro-service discovery failed: ${err.message}`);
        return null;
      });
      if (m) {
        micro = m.micro;
        probes.push(...m.probes);
      }
    }
    if (!source) {
      const message =
        connectError ?? 'no source answered: no reply to $SYS.REQ.SERVER.PING or $SYS.REQ.ACCOUNT.PING.CONNZ, and no monitoring URLs are configured';
      this.status = { ...this.status, state: 'error', message, polls: this.status.polls + 1, lastPollMs: performance.now() - t0 };
      // Keep showing what was known, every server marked down, so the page does not go blank.
      if (prev)
        this.latest = buildSnapshot({ source: prev.source, sourceDetail: prev.sourceDetail, collectedAt, servers: [], warnings: [message] }, prev);
      this.emit();
      return this.latest;
    }
    const collection: RawCollection = { source, sourceDetail: detail, collectedAt, servers, warnings, probes: this.rememberProbes(probes) };
    if (micro) collection.micro = micro;
    if (jsApi) collection.jsApi = jsApi;
    this.options.onCollection?.(collection);
    this.latest = buildSnapshot(collection, prev);
    const down = this.latest.servers.filter((s) => !s.up);
    this.status = {
      state: 'ok',
      message: down.length ? `${down.length} of ${this.latest.servers.length} servers down: ${down.map((s) => s.name).join(', ')}` : null,
      source,
      sourceDetail: detail,
      polls: this.status.polls + 1,
      lastPollMs: performance.now() - t0,
    };
    this.emit();
    return this.latest;
  }

  private rememberProbes(fresh: ProbeSample[]): ProbeSample[] {
    const window = this.options.probeWindow ?? 300;
    for (const p of fresh) {
      const key = p.service ? `svc:${p.service}` : `srv:${p.server}`;
      const xs = this.probes.get(key) ?? [];
      xs.push(p);
      if (xs.length > window) xs.splice(0, xs.length - window);
      this.probes.set(key, xs);
    }
    return [...this.probes.values()].flat();
  }

  private emit(): void {
    const update: LiveUpdate = { connectionId: this.config.id, status: this.status, snapshot: this.latest };
    for (const l of this.listeners) {
      try {
        l(update);
      } catch {
        // a listener's failure is its own; the others still get the update
      }
    }
  }
}

/** The account the collector's own connection (named `busboard <name>`) is in, from the account CONNZ. */
function accountOf(servers: RawServerReplies[], name: string): string | undefined {
  for (const s of servers)
    for (const page of s.connz ?? []) for (const c of page.connections ?? []) if (c.name === `busboard ${name}` && c.account) return c.account;
  return undefined;
}
