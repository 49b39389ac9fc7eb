// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose templates (${VAR}) are what these tests are about
/**
 * Every compose export, read as `docker compose` reads it (interpolated from an empty host
 * environment, then from a hostile one), starts three real nats-server processes that form
 * a full mesh. The listen ports and route hosts are rewritten to free ports on 127.0.0.1 for
 * the test only: the rest of each nats.conf is exactly what the containers would get.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { InvalidTemplate, interpolate, interpolateValues } from '../../test/support/compose-interpolate.ts';
import { checkConf, freePort, type RunningServer, startServer, stopAll, waitForMesh } from '../../test/support/nats-servers.ts';
import { EXAMPLES } from '../examples/index.ts';
import type { TopologyInput } from '../schema/topology.ts';
import { parseTopology } from '../schema/validate.ts';
import { exportDesign } from './index.ts';
import { PORTS } from './k8s-nats.ts';

const dir = mkdtempSync(join(tmpdir(), 'busboard-compose-'));
const running: RunningServer[] = [];
afterAll(() => {
  stopAll(running);
  rmSync(dir, { recursive: true, force: true });
});

interface ComposeService {
  environment?: Record<string, string>;
  configs?: { source: string; target: string }[];
  depends_on?: Record<string, { condition: string }>;
  restart?: string;
  healthcheck?: { test: string[] };
  labels?: Record<string, string>;
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  configs: Record<string, { content: string }>;
}

/** A design whose names carry `$`, which compose would read as variables if left unescaped. */
const DOLLARS: TopologyInput = {
  schema: 'busboard.topology/v3',
  name: 'Price $ales ${PROMO}',
  zones: [
    { name: 'lab-$a', region: 'lab' },
    { name: 'lab-b', region: 'lab' },
  ],
  services: [{ name: 'price.sales', serviceTimeMs: 2 }], // service names are hostnames: no "$" there
  bundles: [{ name: '$ales', services: ['price.sales'], replicas: { 'lab-$a': 1, 'lab-b': 1 }, image: 'registry.local/$ales:1.0' }],
  traffic: [{ entry: 'price.sales', rps: 10 }],
};

const designs = [...EXAMPLES.map((e) => ({ id: e.id, doc: e.doc })), { id: 'dollar-names', doc: DOLLARS }];

function composeOf(input: TopologyInput, websocket = false): { text: string; file: ComposeFile } {
  const parsed = parseTopology(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const r = exportDesign(parsed.doc, { format: 'compose', imagePrefix: 'acme/', imageTag: '1.0', websocket });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  const text = r.files[0]?.content ?? '';
  return { text, file: parseAllDocuments(text)[0]?.toJS() as ComposeFile };
}

describe('the compose interpolator follows the spec', () => {
  it('substitutes, defaults, escapes and refuses as compose does', () => {
    const env = { SET: 'v', EMPTY: '' };
    expect(interpolate('a $SET ${SET} $$SET $$$SET', env)).toBe('a v v $SET $v');
    expect(interpolate('${UNSET:-d} ${EMPTY:-d} ${EMPTY-d} ${UNSET-d}', env)).toBe('d d  d');
    expect(interpolate('${SET:+r} ${EMPTY:+r} ${EMPTY+r} ${UNSET+r}', env)).toBe('r  r ');
    expect(interpolate('${UNSET:-${SET}}', env)).toBe('v');
    expect(() => interpolate('${EMPTY:?needed}', env)).toThrow(InvalidTemplate);
    expect(interpolate('${EMPTY?needed}', env)).toBe('');
    expect(() => interpolate('cost: $5', env)).toThrow(InvalidTemplate);
    expect(interpolate('server_name: $SERVER_NAME', {})).toBe('server_name: ');
  });

  it('would have caught the old escaping: replaceAll with "$$" writes one "$", and the server name is lost', () => {
    const conf = 'server_name: $SERVER_NAME\n';
    const old = conf.replaceAll('$', '$$');
    expect(old).toBe(conf);
    const file = join(dir, 'old.conf');
    writeFileSync(file, interpolate(old, {}));
    expect(checkConf(file, { SERVER_NAME: 'nats-1' }).status).not.toBe(0);
  });
});

describe('every compose export starts a NATS cluster that forms its full mesh', () => {
  for (const d of designs) {
    it(`${d.id}: interpolated with an empty host environment, three servers, each routed to the other two`, async () => {
      const { file } = composeOf(d.doc);
      const empty = interpolateValues(file, {});
      // A host that happens to define the names the file uses changes nothing.
      const hostile = interpolateValues(file, { SERVER_NAME: 'host', PROMO: 'x', ales: 'y', a: 'z', HOME: '/root' });
      expect(hostile).toEqual(empty);

      const natsNames = ['nats-1', 'nats-2', 'nats-3'];
      const conf = empty.configs['nats-conf']?.content ?? '';
      expect(conf).toContain('server_name: $SERVER_NAME');
      const ports = await Promise.all(natsNames.map(async () => ({ client: await freePort(), cluster: await freePort(), http: await freePort() })));
      const servers: RunningServer[] = [];
      for (const [i, name] of natsNames.entries()) {
        const svc = empty.services[name];
        const p = ports[i];
        if (!svc || !p) throw new Error(`no ${name}`);
        expect(svc.configs).toEqual([{ source: 'nats-conf', target: '/etc/nats/nats.conf' }]);
        expect(svc.restart).toBe('unless-stopped');
        expect(svc.healthcheck?.test).toEqual(['CMD', 'wget', '-q', '-O', '/dev/null', `http://127.0.0.1:${PORTS.monitor}/healthz`]);
        // For the test only: the container's ports become free ports, the route hosts 127.0.0.1.
        let mine = conf
          .replace(`"0.0.0.0:${PORTS.client}"`, `"127.0.0.1:${p.client}"`)
          .replace(`"0.0.0.0:${PORTS.monitor}"`, `"127.0.0.1:${p.http}"`)
          .replace(`"0.0.0.0:${PORTS.cluster}"`, `"127.0.0.1:${p.cluster}"`);
        natsNames.forEach((other, j) => {
          mine = mine.replace(`nats-route://${other}:${PORTS.cluster}`, `nats-route://127.0.0.1:${ports[j]?.cluster}`);
        });
        const path = join(dir, `${d.id}-${name}.conf`);
        writeFileSync(path, mine);
        const env = svc.environment ?? {};
        const t = checkConf(path, env);
        expect(t.status, t.stderr).toBe(0);
        servers.push(startServer(path, p.http, env));
      }
      running.push(...servers);
      const { full, mesh } = await waitForMesh(servers);
      stopAll(servers);
      expect(full, servers.map((s) => s.log()).join('\n')).toBe(true);
      expect(mesh.map((m) => [m.name, m.cluster])).toEqual(natsNames.map((n) => [n, 'nats']));

      // Bundle containers: their zone's server, after the servers are healthy, restarted when they stop.
      for (const [name, svc] of Object.entries(empty.services)) {
        if (natsNames.includes(name)) continue;
        expect(svc.environment?.MICROBUS_NATS).toMatch(/^nats:\/\/nats-[123]:4222$/);
        expect(svc.depends_on).toEqual(Object.fromEntries(natsNames.map((n) => [n, { condition: 'service_healthy' }])));
        expect(svc.restart).toBe('unless-stopped');
      }
    });
  }

  it('names with "$" reach the containers as written', () => {
    const { file } = composeOf(DOLLARS);
    const empty = interpolateValues(file, {});
    const bundle = Object.entries(empty.services).find(([n]) => !n.startsWith('nats-'))?.[1] as ComposeService & { image: string };
    expect(bundle.image).toBe('registry.local/$ales:1.0');
    expect(Object.values(empty.services).map((s) => s.labels?.['busboard.dev/zone'])).toContain('lab-$a');
  });

  it('with WebSocket on, the interpolated nats.conf still passes nats-server -t', () => {
    const { file } = composeOf(EXAMPLES[0]?.doc as TopologyInput, true);
    const conf = interpolateValues(file, {}).configs['nats-conf']?.content ?? '';
    const path = join(dir, 'ws.conf');
    writeFileSync(path, conf);
    const t = checkConf(path, { SERVER_NAME: 'nats-1' });
    expect(t.status, t.stderr).toBe(0);
    expect(conf).toContain('websocket {');
  });
});
