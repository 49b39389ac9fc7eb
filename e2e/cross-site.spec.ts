/**
 * A page on another site (its own tiny HTTP server, on `localhost` and another port) attacks a
 * Busboard server without a token, the default on loopback: `<img>`, `<script>`, a form post,
 * `fetch` in no-cors mode and `fetch` with our header (which needs a preflight). The server's
 * own request log shows every one of them arrive, and every one refused before any procedure
 * ran; nothing was saved; the app itself, same-origin, still works.
 */
import { createServer, type Server } from 'node:http';
import { EXAMPLES } from '@busboard/core';
import { expect, test } from '@playwright/test';
import { freePort } from '../apps/api/test/support/nats-cluster.ts';
import { type RunningApp, startApp } from './support/app.ts';
import { SCREENSHOTS, watchConsole } from './support/console.ts';

let app: RunningApp;
let evil: Server;
let evilUrl: string;

function attackPage(target: string): string {
  const heavy = encodeURIComponent(JSON.stringify({ doc: EXAMPLES[0]?.doc }));
  const list = `${target}/trpc/designs.list`;
  const simulate = `${target}/trpc/simulate.run?input=${heavy}`;
  const servers = `${target}/trpc/live.servers?input=${encodeURIComponent(JSON.stringify({ monitorUrls: ['http://127.0.0.1:9/'] }))}`;
  // A text/plain form whose body reads as JSON: {"name":"pwned","doc":{"x":"="}}
  return `<!doctype html><html><head><link rel="icon" href="data:,"><title>elsewhere</title></head><body>
<h1>A page on another site</h1>
<img id="i1" src="${list}"><img id="i2" src="${simulate}"><img id="i3" src="${servers}">
<img id="ok" src="${target}/healthz">
<script src="${list}"></script>
<iframe name="sink" style="display:none"></iframe>
<form id="f" method="POST" action="${target}/trpc/designs.save" enctype="text/plain" target="sink">
  <input type="hidden" name='{"name":"pwned","doc":{"x":"' value='"}}'>
</form>
<script>
  window.attacks = Promise.allSettled([
    fetch(${JSON.stringify(list)}, { mode: 'no-cors' }),
    fetch(${JSON.stringify(simulate)}, { mode: 'no-cors' }),
    fetch(${JSON.stringify(`${target}/trpc/designs.save`)}, { mode: 'no-cors', method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"name":"pwned","doc":{}}' }),
    fetch(${JSON.stringify(list)}, { headers: { 'x-busboard-request': '1' } }),
    fetch(${JSON.stringify(`${target}/trpc/designs.save`)}, { method: 'POST', headers: { 'content-type': 'application/json', 'x-busboard-request': '1' }, body: '{"name":"pwned","doc":{}}' }),
  ]).then((rs) => rs.map((r) => r.status + (r.value ? ':' + r.value.type + ':' + r.value.status : '')));
  document.getElementById('f').submit();
</script></body></html>`;
}

test.beforeAll(async () => {
  app = await startApp({ env: { LOG_LEVEL: 'info' } });
  const port = await freePort();
  evil = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(attackPage(app.url));
  });
  await new Promise<void>((r) => evil.listen(port, '127.0.0.1', r));
  evilUrl = `http://localhost:${port}/`;
});
test.afterAll(async () => {
  await app?.stop();
  await new Promise((r) => evil?.close(r));
});

interface RequestLine {
  msg: string;
  req?: { method: string; path: string };
  res?: { statusCode: number };
}

function requests(output: string): { method: string; path: string; status: number }[] {
  return output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as RequestLine)
    .filter((l) => l.msg === 'request completed')
    .map((l) => ({ method: l.req?.method ?? '', path: l.req?.path ?? '', status: l.res?.statusCode ?? 0 }));
}

const trpcRequests = (output: string) => requests(output).filter((r) => r.path.includes('trpc'));

test('a page on another site reaches no procedure of a token-less server: img, script, form, fetch', async ({ page }) => {
  const before = trpcRequests(app.output()).length;
  const allBefore = requests(app.output()).length;
  await page.goto(evilUrl);
  const outcomes = (await page.evaluate('window.attacks')) as string[];
  // The form posts into a hidden frame; give it and the images time to reach the server.
  await expect.poll(() => trpcRequests(app.output()).length - before, { timeout: 10_000 }).toBeGreaterThanOrEqual(9);
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${SCREENSHOTS}cross-site-attack-page.png` });

  const seen = trpcRequests(app.output()).slice(before);
  console.log(`cross-site requests as the server saw them: ${JSON.stringify(seen)}; fetch outcomes in the page: ${JSON.stringify(outcomes)}`);
  // Every attempt arrived (the img, script, form and no-cors fetches, and the preflights of the
  // fetches with our header), and every one was refused by the guard: 403, never a procedure's answer.
  for (const r of seen) expect(r.status, `${r.method} ${r.path}`).toBe(403);
  expect(seen.filter((r) => r.method === 'GET').length).toBeGreaterThanOrEqual(6);
  expect(seen.filter((r) => r.method === 'POST').length).toBeGreaterThanOrEqual(2);
  expect(seen.filter((r) => r.method === 'OPTIONS').length).toBeGreaterThanOrEqual(1);
  // The fetches with our header never got past their preflight.
  expect(outcomes.slice(3)).toEqual(['rejected', 'rejected']);
  // The server was reachable all along: the page's image of /healthz was answered.
  expect(requests(app.output()).slice(allBefore)).toContainEqual({ method: 'GET', path: '/healthz', status: 200 });

  // Nothing was saved; the app, same-origin, still lists its designs.
  const list = await fetch(`${app.url}/trpc/designs.list`, { headers: { 'x-busboard-request': '1' } });
  const designs = ((await list.json()) as { result: { data: { name: string }[] } }).result.data;
  expect(designs.map((d) => d.name)).not.toContain('pwned');
  const own = await page.context().newPage();
  const consoleWatch = watchConsole(own);
  await own.goto(app.url);
  await expect(own.getByRole('link', { name: 'Checkout' })).toBeVisible();
  consoleWatch.assertClean();
});
