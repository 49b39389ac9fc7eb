import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLES } from '@busboard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../src/routers/_app.ts';
import { KEY_FILE } from '../src/secrets/cipher.ts';
import { APP, dataOf, startTestServer, type TestServer, trpcHttp } from './support/server.ts';

/** Distinctive enough that any copy of it, anywhere, is found. */
const SECRET = 'SUAKY3CNJT7ZCCRUQ2V5PKIDN5XW4KQ5UF4FPB2JPM4E3RIGNPJKQZMI6A';
const CREDS = `-----BEGIN NATS USER JWT-----\neyJ0eXAiOiJKV1Qi\n------END NATS USER JWT------\n-----BEGIN USER NKEY SEED-----\n${SECRET}\n------END USER NKEY SEED------\n`;

describe('stored NATS credentials', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { LOG_LEVEL: 'trace' } });
  });
  afterAll(async () => server?.close());

  it('are saved through the API and answered with name and dates only', async () => {
    const res = await trpcHttp(server.url, 'credentials.save', { name: 'prod-east', secret: CREDS }, 'mutation');
    expect(res.status).toBe(200);
    expect(res.body.result?.data).toEqual({ name: 'prod-east', createdAt: expect.any(String), updatedAt: expect.any(String) });
    const got = await server.credentials.getCredentials('prod-east');
    expect(got.ok && got.secret.reveal()).toBe(CREDS);
  });

  it('are not readable in the database files, and the key file is private (0600)', async () => {
    await trpcHttp(server.url, 'credentials.save', { name: 'prod-west', secret: CREDS }, 'mutation');
    const files = readdirSync(server.dataDir);
    expect(files).toEqual(expect.arrayContaining(['busboard.sqlite', KEY_FILE]));
    for (const f of files.filter((f) => f.startsWith('busboard.sqlite'))) {
      const bytes = readFileSync(join(server.dataDir, f));
      expect(bytes.includes(SECRET), `${f} holds the secret`).toBe(false);
      expect(bytes.includes(Buffer.from(SECRET).toString('base64')), `${f} holds the secret in base64`).toBe(false);
    }
    expect(statSync(join(server.dataDir, KEY_FILE)).mode & 0o777).toBe(0o600);
  });

  it('never appear in any API response or log line', async () => {
    const answers: string[] = [];
    const checkout = EXAMPLES[0]?.doc;
    const saved = await trpcHttp(server.url, 'designs.save', { name: 'd', doc: checkout }, 'mutation');
    answers.push(saved.text);
    const { id } = dataOf<{ id: string }>(saved);
    // Every query procedure, with a real input where we have one and a wrong one otherwise (error paths too).
    const inputs: Record<string, unknown> = { 'designs.get': { id }, 'designs.history': { id }, 'designs.diff': { id, from: 1 } };
    for (const [path, proc] of Object.entries(appRouter._def.procedures)) {
      if ((proc as unknown as { _def: { type: string } })._def.type !== 'query' || path.startsWith('live.')) continue;
      answers.push((await trpcHttp(server.url, path, inputs[path] ?? {})).text);
      answers.push((await trpcHttp(server.url, path, { secret: SECRET })).text);
    }
    // Refusals of credential calls, which carry the secret in their input.
    answers.push((await trpcHttp(server.url, 'credentials.save', { name: '', secret: CREDS }, 'mutation')).text);
    answers.push((await trpcHttp(server.url, 'credentials.save', { name: 'x'.repeat(300), secret: CREDS }, 'mutation')).text);
    answers.push(
      (await trpcHttp(server.url, 'credentials.save', { name: 'bad\u0001name', secret: CREDS, extra: { password: SECRET } }, 'mutation')).text,
    );
    // A body that is not JSON: the refusal must not quote it.
    const broken = await fetch(`${server.url}/trpc/credentials.save`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-busboard-request': '1' },
      body: `{"name": "x", "secret": ${SECRET}}`,
    });
    expect(broken.status).toBe(400);
    answers.push(await broken.text());
    answers.push((await trpcHttp(server.url, 'credentials.list', undefined)).text);
    answers.push((await trpcHttp(server.url, 'credentials.delete', { name: 'prod-west' }, 'mutation')).text);
    // A secret in a URL's query string must not reach the request log either.
    answers.push(
      (
        await fetch(`${server.url}/trpc/credentials.list?input=${encodeURIComponent(JSON.stringify({ password: SECRET }))}`, { headers: APP })
      ).status.toString(),
    );

    expect(answers.length).toBeGreaterThan(10);
    // Not even a piece of it (a JSON parser's error quotes a few characters around the fault).
    for (const a of answers) expect(a).not.toContain(SECRET.slice(0, 8));
    expect(JSON.parse(answers.at(-3) as string).result.data.map((c: { name: string }) => c.name)).toEqual(['prod-east', 'prod-west']);
    expect(JSON.parse(answers.at(-2) as string).result.data).toEqual({ name: 'prod-west', deleted: true });

    expect(server.logs.length).toBeGreaterThan(20);
    for (const line of server.logs) expect(line).not.toContain(SECRET.slice(0, 8));
    if (process.env.SHOW_LOGS) console.log(server.logs.slice(0, 12).join(''));
    // The logs do record the traffic, by path.
    expect(server.logs.some((l) => l.includes('"/trpc/credentials.save"'))).toBe(true);
  });
});
