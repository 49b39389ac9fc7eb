/**
 * What the server may reach on a client's behalf: the hosts it may contact (NATS servers,
 * monitoring ports, Prometheus) and the directories it may read credentials files from
 * (`.creds` files, TLS CA files). Both are configuration, so a token holder cannot make the
 * server fetch an arbitrary URL or read an arbitrary file:
 * - `BUSBOARD_OUTBOUND_HOSTS`: host names or addresses, comma-separated; `host:port` for one
 *   port only, `*.example.com` for subdomains, `*` for anything. Default: the hosts of the
 *   clusters and Prometheus configured in the environment, plus loopback when the server
 *   itself listens on loopback (a developer's machine).
 * - `BUSBOARD_CREDENTIALS_DIRS`: directories, comma-separated. Default: `DATA_DIR/credentials`.
 * What the operator configured in the environment is always allowed; so are the servers a
 * rehearsal starts for itself.
 */
import { realpathSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve, sep } from 'node:path';
import type { Problem } from '@busboard/core';
import { isLoopback } from './config.ts';

export interface OutboundPolicy {
  /** Why `url` may not be contacted, as a problem at `where` (the input field), or null. */
  checkUrl(url: string, where: string): Problem | null;
  /** Why `file` may not be read, as a problem at `where`, or null. */
  checkFile(file: string, where: string): Problem | null;
  readonly hosts: readonly string[];
  readonly credentialsDirs: readonly string[];
}

export interface OutboundOptions {
  /** BUSBOARD_OUTBOUND_HOSTS, when set. */
  hosts?: string[];
  /** Hosts always allowed: those of the connections and Prometheus configured in the environment. */
  configured: string[];
  /** Loopback allowed by default (the server listens on loopback). */
  loopback: boolean;
  credentialsDirs: string[];
}

/** The host (lower case, no brackets) and port of a NATS, HTTP or WebSocket URL, or of `host:port`. */
export function hostOf(url: string): { host: string; port: string } | null {
  const text = url.trim();
  try {
    const u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `nats://${text}`);
    const port = u.port || (u.protocol === 'https:' || u.protocol === 'wss:' ? '443' : u.protocol === 'http:' || u.protocol === 'ws:' ? '80' : '');
    return { host: u.hostname.replace(/^\[|\]$/g, '').toLowerCase(), port };
  } catch {
    return null;
  }
}

function matches(entry: string, host: string, port: string): boolean {
  if (entry === '*') return true;
  const wildcard = entry.startsWith('*.');
  const at = hostOf(wildcard ? entry.slice(2) : entry);
  if (!at) return false;
  if (at.port && at.port !== port) return false;
  return wildcard ? host.endsWith(`.${at.host}`) : host === at.host;
}

function isLoopbackHost(host: string): boolean {
  return isLoopback(host) || (isIP(host) === 6 && /^(0*:)*:?0*1$/.test(host));
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

export function createOutboundPolicy(options: OutboundOptions): OutboundPolicy {
  const listed = options.hosts ?? [];
  const configured = options.configured.map((u) => hostOf(u)?.host).filter((h): h is string => !!h);
  const allowLoopback = options.hosts === undefined ? options.loopback : false;
  const dirs = options.credentialsDirs.map((d) => resolve(d));
  const shownHosts = [...new Set([...listed, ...configured, ...(allowLoopback ? ['loopback'] : [])])];
  return {
    hosts: shownHosts,
    credentialsDirs: dirs,
    checkUrl(url, where) {
      const at = hostOf(url);
      if (!at?.host) return { path: where, message: `"${url}" is not a URL with a host` };
      if (allowLoopback && isLoopbackHost(at.host)) return null;
      if (configured.includes(at.host)) return null;
      if (listed.some((e) => matches(e.trim(), at.host, at.port))) return null;
      return {
        path: where,
        message: `Busboard may not contact ${at.host}${at.port ? `:${at.port}` : ''}; the hosts it may contact are ${shownHosts.length ? shownHosts.join(', ') : 'none'} (add it to BUSBOARD_OUTBOUND_HOSTS)`,
      };
    },
    checkFile(file, where) {
      // The real path: a symbolic link inside an allowed directory may not lead out of it.
      const path = real(file);
      if (dirs.some((d) => path === d || path.startsWith(real(d) + sep))) return null;
      return {
        path: where,
        message: `Busboard may not read ${file}; it reads credentials files only from ${dirs.join(', ')} (put the file there, or add its directory to BUSBOARD_CREDENTIALS_DIRS)`,
      };
    },
  };
}

/** Everything allowed: for in-process callers and tests that do not exercise the policy. */
export const OPEN_POLICY: OutboundPolicy = {
  hosts: ['*'],
  credentialsDirs: ['/'],
  checkUrl: () => null,
  checkFile: () => null,
};

/** What a cluster connection would make the server contact and read, checked: each refusal names its field. */
export function connectionProblems(
  policy: OutboundPolicy,
  c: {
    servers: string[];
    monitorUrls: string[];
    tlsCaFile?: string;
    auth: { kind: string; credsFile?: string };
    systemAuth?: { kind: string; credsFile?: string };
  },
): Problem[] {
  const problems: Problem[] = [];
  const add = (p: Problem | null) => {
    if (p) problems.push(p);
  };
  for (const [i, u] of c.servers.entries()) add(policy.checkUrl(u, `servers[${i}]`));
  for (const [i, u] of c.monitorUrls.entries()) add(policy.checkUrl(u, `monitorUrls[${i}]`));
  if (c.tlsCaFile) add(policy.checkFile(c.tlsCaFile, 'tlsCaFile'));
  if (c.auth.kind === 'creds' && c.auth.credsFile) add(policy.checkFile(c.auth.credsFile, 'auth.credsFile'));
  if (c.systemAuth?.kind === 'creds' && c.systemAuth.credsFile) add(policy.checkFile(c.systemAuth.credsFile, 'systemAuth.credsFile'));
  return problems;
}
