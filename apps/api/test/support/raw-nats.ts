/**
 * A NATS client in plain TCP speaking the protocol itself (INFO, CONNECT, SUB subject [queue]
 * sid, PUB, MSG, PING/PONG), so a test subscribes exactly as another client library would,
 * from the local address it chooses (`127.0.0.2`, `127.0.0.3`…: Linux routes all of 127/8 to
 * the loopback device), with the connection name it chooses (or none). With `reconnect`, it
 * fails over to the next server of its list when its server goes away and subscribes again,
 * as the Go client does.
 */
import { connect, type Socket } from 'node:net';

export interface RawNatsOptions {
  /** `nats://127.0.0.1:port` URLs, tried in order (and round again on failover). */
  servers: string[];
  /** The client socket's local address. */
  localAddress?: string;
  /** The connection name nats-server shows; none when null or absent. */
  name?: string | null;
  user?: string;
  pass?: string;
  reconnect?: boolean;
  /** Answer every request (a message with a reply subject) with `ok`, as a handler would. */
  answerRequests?: boolean;
}

interface Sub {
  sid: number;
  subject: string;
  queue: string | null;
}

function hostPort(url: string): { host: string; port: number } {
  const u = new URL(url.replace(/^nats:/, 'http:'));
  return { host: u.hostname, port: Number(u.port) };
}

export class RawNatsClient {
  private socket: Socket | null = null;
  private buffer = Buffer.alloc(0);
  private readonly subs: Sub[] = [];
  private nextSid = 1;
  private pongs: Array<() => void> = [];
  private closed = false;
  private serverIndex = 0;
  /** The URL of the server it is connected to now. */
  server = '';
  /** Messages delivered to it, by subject. */
  readonly received = new Map<string, number>();

  private constructor(private readonly options: RawNatsOptions) {}

  static async connect(options: RawNatsOptions): Promise<RawNatsClient> {
    const c = new RawNatsClient(options);
    await c.open();
    return c;
  }

  private async open(): Promise<void> {
    let lastError: Error | null = null;
    for (let attempt = 0; attempt < this.options.servers.length; attempt++) {
      const url = this.options.servers[(this.serverIndex + attempt) % this.options.servers.length] as string;
      try {
        await this.openOne(url);
        this.serverIndex = (this.serverIndex + attempt) % this.options.servers.length;
        return;
      } catch (err) {
        lastError = err as Error;
      }
    }
    throw lastError ?? new Error('no servers');
  }

  private openOne(url: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const { host, port } = hostPort(url);
      const socket = connect({ host, port, ...(this.options.localAddress ? { localAddress: this.options.localAddress } : {}) });
      let ready = false;
      const fail = (err: Error) => {
        if (!ready) {
          socket.destroy();
          reject(err);
        }
      };
      socket.once('error', fail);
      socket.on('data', (chunk) => {
        this.buffer = Buffer.concat([this.buffer, chunk]);
        this.drain(socket, (line) => {
          if (line.startsWith('INFO ') && !ready) {
            const connectOpts = {
              verbose: false,
              pedantic: false,
              lang: 'go',
              version: '1.37.0',
              protocol: 1,
              headers: false,
              ...(this.options.name ? { name: this.options.name } : {}),
              ...(this.options.user ? { user: this.options.user, pass: this.options.pass ?? '' } : {}),
            };
            socket.write(`CONNECT ${JSON.stringify(connectOpts)}\r\n`);
            for (const s of this.subs) socket.write(`SUB ${s.subject}${s.queue ? ` ${s.queue}` : ''} ${s.sid}\r\n`);
            socket.write('PING\r\n');
          } else if (line === 'PONG' && !ready) {
            ready = true;
            this.socket = socket;
            this.server = url;
            socket.removeListener('error', fail);
            socket.on('error', () => {});
            socket.once('close', () => this.lost());
            resolve();
          } else if (line.startsWith('-ERR') && !ready) fail(new Error(`${url}: ${line}`));
        });
      });
      socket.once('close', () => fail(new Error(`${url}: closed before CONNECT was accepted`)));
    });
  }

  /** Reads whole protocol lines (and MSG payloads) out of the buffer. */
  private drain(socket: Socket, onLine: (line: string) => void): void {
    for (;;) {
      const end = this.buffer.indexOf('\r\n');
      if (end < 0) return;
      const line = this.buffer.subarray(0, end).toString();
      if (line.startsWith('MSG ')) {
        const parts = line.split(' ');
        const size = Number(parts.at(-1));
        if (this.buffer.length < end + 2 + size + 2) return;
        this.buffer = this.buffer.subarray(end + 2 + size + 2);
        const subject = parts[1] as string;
        const reply = parts.length === 5 ? parts[3] : undefined;
        this.received.set(subject, (this.received.get(subject) ?? 0) + 1);
        if (reply && this.options.answerRequests !== false) socket.write(`PUB ${reply} 2\r\nok\r\n`);
        continue;
      }
      this.buffer = this.buffer.subarray(end + 2);
      if (line === 'PING') socket.write('PONG\r\n');
      else if (line === 'PONG' && this.socket === socket) this.pongs.shift()?.();
      else onLine(line);
    }
  }

  private lost(): void {
    this.socket = null;
    this.buffer = Buffer.alloc(0);
    for (const p of this.pongs.splice(0)) p();
    if (this.closed || !this.options.reconnect) return;
    // Fail over: the next server first, round the list, until one takes us.
    this.serverIndex = (this.serverIndex + 1) % this.options.servers.length;
    const retry = () => {
      if (this.closed) return;
      this.open().catch(() => setTimeout(retry, 200));
    };
    retry();
  }

  subscribe(subject: string, queue: string | null = null): number {
    const sub = { sid: this.nextSid++, subject, queue };
    this.subs.push(sub);
    this.socket?.write(`SUB ${subject}${queue ? ` ${queue}` : ''} ${sub.sid}\r\n`);
    return sub.sid;
  }

  publish(subject: string, payload = '', reply?: string): void {
    this.socket?.write(`PUB ${subject}${reply ? ` ${reply}` : ''} ${Buffer.byteLength(payload)}\r\n${payload}\r\n`);
  }

  /** Waits until the server has processed everything sent so far. */
  flush(timeoutMs = 5000): Promise<void> {
    const socket = this.socket;
    if (!socket) return Promise.reject(new Error('not connected'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no PONG')), timeoutMs);
      this.pongs.push(() => {
        clearTimeout(timer);
        resolve();
      });
      socket.write('PING\r\n');
    });
  }

  get connected(): boolean {
    return this.socket !== null;
  }

  close(): Promise<void> {
    this.closed = true;
    const socket = this.socket;
    this.socket = null;
    if (!socket) return Promise.resolve();
    return new Promise((resolve) => {
      socket.once('close', () => resolve());
      socket.end();
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, 500).unref();
    });
  }
}
