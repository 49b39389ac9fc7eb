/**
 * The production profile end to end, with real parts: `busboard export --profile production`
 * writes the files; the certificates come from the README's own openssl recipe; the exported
 * nats.conf starts three real nats-server processes (ports and route hosts moved to
 * 127.0.0.1 for the test, and 127.0.0.1 and localhost added to the server certificate's names so routes
 * can verify it) that form their full mesh over TLS routes. Bundle certificates connect and
 * talk across servers; the monitor certificate sees every server; a certificate from the same
 * CA that maps to no user, and a client with no certificate, are refused.
 */
import { execSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createInbox } from '@nats-io/transport-node';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { checkConf, type RunningServer, startServer, stopAll, waitForMesh } from '../../../packages/core/test/support/nats-servers.ts';
import { freePort } from './support/nats-cluster.ts';

// The CLI bundled once per run (support/programs.ts); cli.test.ts also runs bin/busboard.js itself.
const BIN = inject('programs').cli;
const dir = mkdtempSync(join(tmpdir(), 'bb-production-'));
const servers: RunningServer[] = [];
afterAll(() => {
  stopAll(servers);
  rmSync(dir, { recursive: true, force: true });
});

describe('production export on a real NATS cluster', () => {
  it('TLS routes form the mesh; mapped certificates get in, others do not', async () => {
    const out = join(dir, 'out');
    const r = spawnSync(
      process.execPath,
      [
        BIN,
        'export',
        'example:checkout',
        '--profile',
        'production',
        '--namespace',
        'shop',
        '--image-prefix',
        'ghcr.io/acme/',
        '--image-tag',
        '1.0',
        '--ingress-host',
        'shop.example.com',
        '--out',
        out,
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(r.status, r.stderr).toBe(0);

    // The README's recipe, run as written (its kubectl lines need a cluster and are skipped).
    const readme = readFileSync(join(out, 'README.md'), 'utf8');
    const recipe = readme.slice(readme.indexOf('# A CA (keep ca.key out of the cluster)'));
    const commands = recipe
      .slice(0, recipe.indexOf('```'))
      .split('\n')
      .filter((l) => l.startsWith('openssl') || l.startsWith('printf'))
      .map((l) => (l.startsWith("printf 'subjectAltName=") ? l.replace('subjectAltName=', 'subjectAltName=IP:127.0.0.1,DNS:localhost,') : l));
    const certs = join(dir, 'certs');
    mkdirSync(certs);
    for (const c of commands) execSync(c, { cwd: certs, stdio: 'pipe' });
    execSync(
      'openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=intruder" -keyout intruder.key -out intruder.csr && ' +
        "printf 'extendedKeyUsage=clientAuth\\n' > intruder.ext && " +
        'openssl x509 -req -in intruder.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 1 -extfile intruder.ext -out intruder.crt',
      { cwd: certs, stdio: 'pipe' },
    );

    const docs = parseAllDocuments(readFileSync(join(out, 'nats', 'nats.yaml'), 'utf8')).map((d) => d.toJS());
    const conf = docs.find((d) => d.kind === 'ConfigMap').data['nats.conf'] as string;
    const pods = docs.filter((d) => d.kind === 'StatefulSet').map((s) => `${s.metadata.name}-0`);
    expect(pods).toEqual(['nats-us-west-2a-0', 'nats-us-west-2b-0', 'nats-us-west-2c-0']);
    const ports = await Promise.all(pods.map(async () => ({ client: await freePort(), cluster: await freePort(), http: await freePort() })));
    for (const [i, pod] of pods.entries()) {
      const p = ports[i] as (typeof ports)[number];
      let mine = conf
        .replaceAll('/etc/nats-tls/tls.crt', join(certs, 'nats.crt'))
        .replaceAll('/etc/nats-tls/tls.key', join(certs, 'nats.key'))
        .replaceAll('/etc/nats-tls/ca.crt', join(certs, 'ca.crt'))
        .replace('"0.0.0.0:4222"', `"127.0.0.1:${p.client}"`)
        .replace('"0.0.0.0:8222"', `"127.0.0.1:${p.http}"`)
        .replace('"0.0.0.0:6222"', `"127.0.0.1:${p.cluster}"`);
      pods.forEach((other, j) => {
        mine = mine.replace(`${other}.nats-headless.shop.svc.cluster.local:6222`, `127.0.0.1:${ports[j]?.cluster}`);
      });
      const file = join(dir, `${pod}.conf`);
      writeFileSync(file, mine);
      const t = checkConf(file, { SERVER_NAME: pod });
      expect(t.status, t.stderr).toBe(0);
      servers.push(startServer(file, p.http, { SERVER_NAME: pod }));
    }
    const { full, mesh } = await waitForMesh(servers);
    expect(full, servers.map((s) => s.log()).join('\n')).toBe(true);
    expect(mesh.map((m) => m.name)).toEqual(pods);

    const tls = (who: string | null) => ({
      caFile: join(certs, 'ca.crt'),
      ...(who ? { certFile: join(certs, `${who}.crt`), keyFile: join(certs, `${who}.key`) } : {}),
    });
    const at = (i: number) => `127.0.0.1:${ports[i]?.client}`;
    // Two bundles on different servers talk through the TLS routes (same account).
    const shop = await connect({ servers: at(2), tls: tls('client-shop'), reconnect: false });
    const edge = await connect({ servers: at(0), tls: tls('client-edge'), reconnect: false });
    shop.subscribe('cart.checkout', {
      callback: (_e, m) => {
        m.respond('ok');
      },
    });
    await shop.flush();
    let answer = '';
    for (let i = 0; i < 50 && !answer; i++) {
      answer = await edge
        .request('cart.checkout', '', { timeout: 500 })
        .then((m) => m.string())
        .catch(() => '');
    }
    expect(answer).toBe('ok');
    // The monitor certificate is the system account's: one STATSZ reply per server.
    const monitor = await connect({ servers: at(1), tls: tls('busboard-monitor'), reconnect: false });
    const names = new Set<string>();
    const sub = monitor.subscribe(createInbox(), {
      callback: (_e, m) => {
        names.add((m.json() as { server: { name: string } }).server.name);
      },
    });
    monitor.publish('$SYS.REQ.SERVER.PING', '', { reply: sub.getSubject() });
    for (let i = 0; i < 40 && names.size < 3; i++) await new Promise((res) => setTimeout(res, 100));
    expect([...names].sort()).toEqual(pods);
    await Promise.all([shop.close(), edge.close(), monitor.close()]);

    // Refused: a certificate from the same CA that names no user, and no certificate at all.
    await expect(connect({ servers: at(0), tls: tls('intruder'), reconnect: false, timeout: 3000 })).rejects.toThrow(/Authorization/i);
    await expect(connect({ servers: at(0), tls: tls(null), reconnect: false, timeout: 3000 })).rejects.toThrow();
    stopAll(servers);
  });
});
