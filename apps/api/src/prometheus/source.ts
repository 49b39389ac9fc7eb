/**
 * Where Prometheus is: `BUSBOARD_PROMETHEUS_URL` (+ `_TOKEN`, or `_USER` and `_PASSWORD`) from the
 * environment, or set on the Live page and kept sealed in the database like NATS credentials
 * (the environment wins). The browser sees the URL and the kind of credentials, never them.
 */

import { type Failure, failure, issueProblems } from '@busboard/core';
import { z } from 'zod';
import type { OutboundPolicy } from '../outbound.ts';
import type { CredentialStore } from '../secrets/credentials.ts';
import { checkPrometheusUrl, type PrometheusSource } from './client.ts';

/** The credential-store name of the source set in the app. */
export const PROMETHEUS_RECORD = 'prometheus-source';

export const PrometheusInput = z
  .object({
    url: z.string().trim().min(1).max(2000),
    auth: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('none') }).strict(),
        z.object({ kind: z.literal('bearer'), token: z.string().min(1).max(10_000) }).strict(),
        z.object({ kind: z.literal('basic'), username: z.string().min(1).max(200), password: z.string().max(10_000) }).strict(),
      ])
      .default({ kind: 'none' }),
  })
  .strict();

export interface PrometheusView {
  configured: boolean;
  url: string | null;
  auth: 'none' | 'bearer' | 'basic';
  origin: 'env' | 'app' | null;
}

/** The source from the environment: null when unset, a message when set wrongly. */
export function prometheusFromEnv(env: NodeJS.ProcessEnv): { ok: true; source: PrometheusSource | null } | { ok: false; error: string } {
  const url = env.BUSBOARD_PROMETHEUS_URL?.trim();
  if (!url) return { ok: true, source: null };
  const problem = checkPrometheusUrl(url);
  if (problem) return { ok: false, error: `BUSBOARD_PROMETHEUS_URL: ${problem}` };
  const token = env.BUSBOARD_PROMETHEUS_TOKEN;
  const user = env.BUSBOARD_PROMETHEUS_USER;
  if (token && user) return { ok: false, error: 'set BUSBOARD_PROMETHEUS_TOKEN or BUSBOARD_PROMETHEUS_USER/_PASSWORD, not both' };
  return {
    ok: true,
    source: {
      url,
      ...(token
        ? { auth: { kind: 'bearer' as const, token } }
        : user
          ? { auth: { kind: 'basic' as const, username: user, password: env.BUSBOARD_PROMETHEUS_PASSWORD ?? '' } }
          : {}),
    },
  };
}

export class PrometheusSources {
  private app: PrometheusSource | null = null;

  constructor(
    private readonly env: PrometheusSource | null,
    private readonly credentials?: CredentialStore,
    /** Where a Prometheus set in the app may be (outbound.ts); absent: anywhere. */
    private readonly outbound?: OutboundPolicy,
  ) {}

  /** Loads the source saved in the app, if any. */
  async load(): Promise<string | null> {
    if (!this.credentials) return null;
    const got = await this.credentials.getCredentials(PROMETHEUS_RECORD);
    if (!got.ok) return got.reason === 'not-found' ? null : `the saved Prometheus source cannot be read (${got.reason}); set it again`;
    const parsed = PrometheusInput.safeParse(JSON.parse(got.secret.reveal()));
    if (!parsed.success) return 'the saved Prometheus source is not valid any more; set it again';
    this.app = toSource(parsed.data);
    return null;
  }

  get(): PrometheusSource | null {
    return this.env ?? this.app;
  }

  view(): PrometheusView {
    const s = this.get();
    return { configured: Boolean(s), url: s?.url ?? null, auth: s?.auth?.kind ?? 'none', origin: this.env ? 'env' : this.app ? 'app' : null };
  }

  async set(input: unknown): Promise<{ ok: true; view: PrometheusView } | Failure> {
    if (this.env) return failure('Prometheus comes from BUSBOARD_PROMETHEUS_URL; change it there', 'source');
    const parsed = PrometheusInput.safeParse(input);
    if (!parsed.success) return failure(issueProblems(parsed.error.issues, 'source'));
    const problem = checkPrometheusUrl(parsed.data.url);
    if (problem) return failure(problem, 'url');
    const refused = this.outbound?.checkUrl(parsed.data.url, 'url');
    if (refused) return failure([refused]);
    if (!this.credentials) return failure('this server keeps no credentials; set BUSBOARD_PROMETHEUS_URL instead', 'source');
    await this.credentials.saveCredentials(PROMETHEUS_RECORD, JSON.stringify(parsed.data));
    this.app = toSource(parsed.data);
    return { ok: true, view: this.view() };
  }

  async clear(): Promise<void> {
    if (this.env) return;
    this.app = null;
    await this.credentials?.deleteCredentials(PROMETHEUS_RECORD);
  }
}

function toSource(input: z.output<typeof PrometheusInput>): PrometheusSource {
  const { url, auth } = input;
  return auth.kind === 'none' ? { url } : { url, auth };
}
