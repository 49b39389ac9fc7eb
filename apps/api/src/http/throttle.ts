/**
 * Wrong access tokens, counted per client address: after `freeFailures` wrong tokens within
 * `windowMs`, the address is refused (429, with Retry-After) for a pause that doubles with each
 * further wrong token, up to `maxPauseMs`. A right token clears the count. Guessing a 32-character
 * token was hopeless already; this keeps the attempts from filling logs and CPU.
 */

export interface ThrottleOptions {
  freeFailures: number;
  windowMs: number;
  basePauseMs: number;
  maxPauseMs: number;
  /** Addresses remembered at most (the oldest is forgotten first). */
  maxClients: number;
  now: () => number;
}

interface Entry {
  failures: number;
  firstAt: number;
  blockedUntil: number;
}

export class TokenThrottle {
  readonly #clients = new Map<string, Entry>();
  readonly #o: ThrottleOptions;

  constructor(options: Partial<ThrottleOptions> = {}) {
    this.#o = { freeFailures: 10, windowMs: 60_000, basePauseMs: 1000, maxPauseMs: 15 * 60_000, maxClients: 10_000, now: Date.now, ...options };
  }

  /** Milliseconds this address must still wait, or 0. */
  waitMs(ip: string): number {
    const e = this.#clients.get(ip);
    return e ? Math.max(0, e.blockedUntil - this.#o.now()) : 0;
  }

  failed(ip: string): void {
    const now = this.#o.now();
    let e = this.#clients.get(ip);
    if (!e || now - e.firstAt > Math.max(this.#o.windowMs, e.blockedUntil - e.firstAt)) e = { failures: 0, firstAt: now, blockedUntil: 0 };
    e.failures++;
    const over = e.failures - this.#o.freeFailures;
    if (over > 0) e.blockedUntil = now + Math.min(this.#o.maxPauseMs, this.#o.basePauseMs * 2 ** Math.min(30, over - 1));
    this.#clients.delete(ip);
    this.#clients.set(ip, e);
    if (this.#clients.size > this.#o.maxClients) this.#clients.delete(this.#clients.keys().next().value as string);
  }

  succeeded(ip: string): void {
    this.#clients.delete(ip);
  }
}
