/**
 * Microbus subjects of both generations. The expected strings are the framework's own
 * goldens (microbus-io/fabric `connector/subjects_test.go`, newest code; `subjects.go` doc
 * comments at the v1.7 tag), so the builder subscribes exactly as a real process does.
 */
import { describe, expect, it } from 'vitest';
import { readMicrobusConnection } from './microbus-read.ts';
import {
  localityPrefixes,
  localityToDotted,
  localityToHyphen,
  microbusConnectionName,
  microbusReplicaSubscriptions,
  microbusRequestSubject,
  microbusResponseSubscription,
  microbusSubscriptions,
  parseMicrobusSubject,
} from './microbus-subjects.ts';

const sub = (host: string, port: string, method: string, path: string, slot = '') =>
  microbusRequestSubject({ generation: 'newest', plane: 'p0', host, port, method, path, slot });

describe('newest subjects, as the framework builds them', () => {
  it('matches the framework goldens for subscriptions', () => {
    expect(sub('EXAMPLE.com', '80', 'GET', 'PATH/to/file.html')).toBe('p0.safe.80.*.example_com._.GET.PATH.to.file%2ehtml');
    expect(sub('EXAMPLE.com', '80', 'GET', 'PATH/')).toBe('p0.safe.80.*.example_com._.GET.PATH._');
    expect(sub('example.com', '123', 'POST', 'DIR/{...}')).toBe('p0.safe.123.*.example_com._.POST.DIR.>');
    expect(sub('www.example.com', '443', 'delete', '/{...}')).toBe('p0.safe.443.*.www_example_com._.DELETE.>');
    expect(sub('www.example.com', '443', 'ANY', '')).toBe('p0.safe.443.*.www_example_com._.*._');
    expect(sub('EXAMPLE.com', '0', 'GET', 'PATH/to/file.html')).toBe('p0.safe.*.*.example_com._.GET.PATH.to.file%2ehtml');
    expect(sub('example.com', '443', 'GET', '/foo/{foo}/bar/{bar}')).toBe('p0.safe.443.*.example_com._.GET.foo.*.bar.*');
    expect(sub('EXAMPLE.com', '80', 'GET', 'empty///')).toBe('p0.safe.80.*.example_com._.GET.empty._._._');
    expect(sub('example.com', '666', 'POST', 'mint')).toBe('p0.danger.666.*.example_com._.POST.mint');
    expect(sub('example.com', '443', 'GET', 'path', 'id-abcd1234')).toBe('p0.safe.443.*.example_com.id-abcd1234.GET.path');
    expect(sub('example.com', '443', 'GET', 'path', 'loc-us-west')).toBe('p0.safe.443.*.example_com.loc-us-west.GET.path');
    expect(sub('my$.xml', '443', 'GET', 'path')).toBe('p0.safe.443.*.my%24_xml._.GET.path');
    // Path segments escape every byte outside [A-Za-z0-9-]: `_` is %5f, `!` is %21.
    expect(sub('a.b', '443', 'GET', 'a_b_c/special!')).toBe('p0.safe.443.*.a_b._.GET.a%5fb%5fc.special%21');
  });

  it('publishes with the caller in the source segment', () => {
    const req = microbusRequestSubject({
      generation: 'newest',
      plane: 'p0',
      from: 'BY.com',
      host: 'EXAMPLE.com',
      port: 80,
      method: 'GET',
      path: 'PATH/to/file.html',
    });
    expect(req).toBe('p0.safe.80.by_com.example_com._.GET.PATH.to.file%2ehtml');
  });

  it('subscribes every endpoint on the bare, id and locality slots, broadest locality first, queue = hostname', () => {
    const replica = { generation: 'newest' as const, hostname: 'cart.example', id: 'a1b2c3d4e5', locality: 'us-east-1-a' };
    expect(microbusSubscriptions(replica, { path: '/items' })).toEqual(
      ['_', 'id-a1b2c3d4e5', 'loc-us', 'loc-us-east', 'loc-us-east-1', 'loc-us-east-1-a'].map((slot) => ({
        subject: `microbus.safe.443.*.cart_example.${slot}.GET.items`,
        queue: 'cart.example',
      })),
    );
    expect(microbusResponseSubscription(replica)).toEqual({ subject: 'microbus.reply._.*.cart_example.id-a1b2c3d4e5', queue: 'id-a1b2c3d4e5' });
    expect(microbusConnectionName(replica)).toBeNull();
  });

  it('reads its subjects back', () => {
    expect(parseMicrobusSubject('microbus.safe.443.*.pay_example._.POST.charge.card%2ejson')).toMatchObject({
      kind: 'request',
      generation: 'newest',
      host: 'pay.example',
      port: '443',
      method: 'POST',
      path: 'charge/card.json',
      slot: { kind: 'any' },
      control: false,
    });
    expect(parseMicrobusSubject('microbus.safe.443.*.pay_example.id-a1b2c3d4e5.GET.x')).toMatchObject({ slot: { kind: 'id', id: 'a1b2c3d4e5' } });
    expect(parseMicrobusSubject('microbus.safe.443.*.pay_example.loc-us-east-1-a.GET.x')).toMatchObject({
      slot: { kind: 'locality', locality: 'us-east-1-a' },
    });
    expect(parseMicrobusSubject('microbus.safe.888.*.all._.*.ping')).toMatchObject({ host: 'all', control: true, method: '*' });
    expect(parseMicrobusSubject('p0.safe.443.*.my%24_xml._.GET.path')).toMatchObject({ host: 'my$.xml' });
    expect(parseMicrobusSubject('microbus.reply._.*.cart_example.id-a1b2c3d4e5')).toEqual({
      kind: 'response',
      generation: 'newest',
      plane: 'microbus',
      host: 'cart.example',
      id: 'a1b2c3d4e5',
    });
  });
});

describe('v1.x subjects', () => {
  const v1 = { generation: 'v1' as const, hostname: 'cart.example', id: 't45hu43jsi', locality: 'us-east-1-a' };

  it('reverses hostname and prefix, as the v1.7 connector does', () => {
    expect(microbusRequestSubject({ generation: 'v1', host: 'example.com', port: 80, path: 'path/file.html' })).toBe(
      'microbus.80.com.example.|.GET.path.file_html',
    );
    expect(microbusRequestSubject({ generation: 'v1', host: 'example.com', port: 443, method: 'POST', path: 'dir/{rest+}' })).toBe(
      'microbus.443.com.example.|.POST.dir.>',
    );
    expect(microbusRequestSubject({ generation: 'v1', host: 'x.y', port: 0, method: 'ANY', path: 'special!' })).toBe(
      'microbus.*.y.x.|.*.special%0021',
    );
    expect(microbusSubscriptions(v1, { path: '/items' }).map((s) => s.subject)).toEqual([
      'microbus.443.example.cart.|.GET.items',
      'microbus.443.example.cart.t45hu43jsi.|.GET.items',
      'microbus.443.example.cart.us.|.GET.items',
      'microbus.443.example.cart.us.east.|.GET.items',
      'microbus.443.example.cart.us.east.1.|.GET.items',
      'microbus.443.example.cart.us.east.1.a.|.GET.items',
    ]);
    expect(microbusResponseSubscription(v1)).toEqual({ subject: 'microbus.r.example.cart.t45hu43jsi', queue: 't45hu43jsi' });
    expect(microbusConnectionName(v1)).toBe('t45hu43jsi.cart.example');
  });

  it('reads one subject as far as one subject can say', () => {
    expect(parseMicrobusSubject('microbus.443.com.example.www.|.GET.path.file_html')).toMatchObject({
      generation: 'v1',
      host: 'www.example.com',
      path: 'path/file.html',
      v1Tokens: ['com', 'example', 'www'],
    });
    expect(parseMicrobusSubject('microbus.r.example.cart.t45hu43jsi')).toMatchObject({ kind: 'response', host: 'cart.example', id: 't45hu43jsi' });
  });

  it('settles host, id and locality from a connection’s subscriptions', () => {
    const subs = microbusReplicaSubscriptions(v1, [{ path: '/items' }]).map((s) => ({ subject: s.subject, ...(s.queue ? { qgroup: s.queue } : {}) }));
    const reading = readMicrobusConnection(subs, microbusConnectionName(v1) ?? '');
    expect(reading.replicas).toHaveLength(1);
    expect(reading.replicas[0]).toMatchObject({
      service: 'cart.example',
      id: 't45hu43jsi',
      locality: 'us-east-1-a',
      generation: 'v1',
      queue: { status: 'ok' },
    });
    expect(reading.replicas[0]?.endpoints.map((e) => `${e.method} ${e.port} ${e.path}`)).toEqual(['GET 443 items']);
  });
});

describe('reading a connection', () => {
  it('puts an endpoint without an id slot on the service’s one replica here (control subscriptions of older test apps)', () => {
    const reading = readMicrobusConnection([
      { subject: 'microbus.safe.443.*.cart_shop._.GET.items', qgroup: 'cart.shop', msgs: 3 },
      { subject: 'microbus.safe.443.*.cart_shop.id-r1000.GET.items', qgroup: 'cart.shop', msgs: 1 },
      { subject: 'microbus.safe.443.*.cart_shop.loc-us-east-1-a.GET.items', qgroup: 'cart.shop' },
      { subject: 'microbus.safe.888.*.cart_shop._.*.ping' },
    ]);
    expect(reading.replicas).toEqual([
      expect.objectContaining({ service: 'cart.shop', id: 'r1000', locality: 'us-east-1-a', msgs: 4, queue: { status: 'ok' } }),
    ]);
  });

  it('gives a pooled connection’s services their own replicas, and a sink to the service whose queue group it uses', () => {
    const cart = { generation: 'newest' as const, hostname: 'cart.example', id: 'c0c0c0c0c0' };
    const pay = { generation: 'newest' as const, hostname: 'pay.example', id: 'p0p0p0p0p0' };
    const subs = [
      ...microbusReplicaSubscriptions(cart, [{ path: '/items' }]),
      ...microbusReplicaSubscriptions(pay, [{ host: 'cart.example', port: 417, method: 'POST', path: '/on-checkout' }]),
    ].map((s) => ({ subject: s.subject, ...(s.queue ? { qgroup: s.queue } : {}) }));
    const reading = readMicrobusConnection(subs);
    expect(reading.replicas.map((r) => `${r.service}:${r.id}:${r.listensTo.join(',')}`).sort()).toEqual([
      'cart.example:c0c0c0c0c0:',
      'pay.example:p0p0p0p0p0:cart.example',
    ]);
  });
});

describe('localities', () => {
  it('converts between the two generations’ forms', () => {
    expect(localityPrefixes('us-east-1-a')).toEqual(['us', 'us-east', 'us-east-1', 'us-east-1-a']);
    expect(localityToDotted('us-east-1-a')).toBe('a.1.east.us');
    expect(localityToHyphen('a.1.east.us')).toBe('us-east-1-a');
  });
});

describe('not Microbus', () => {
  it('ignores other subjects', () => {
    for (const s of ['inventory.stock', '$SRV.PING.inventory', '_INBOX.abc.*', 'orders.r.x', 'a.b.c.d.e.f.g', 'metrics.5.cpu', 'x.safe.443'])
      expect(parseMicrobusSubject(s)).toBeNull();
  });
});
