import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, type Migration, migrate } from './migrations.ts';
import { SCHEMA_V2, SCHEMA_V3 } from './topology.ts';
import { v1ToV2 } from './v1-to-v2.ts';
import { v2ToV3 } from './v2-to-v3.ts';
import { checkTopology, parseTopology } from './validate.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const fixture = (file: string) => JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as Record<string, unknown>;

/**
 * A test-only old version: v0 called the service time `timeMs`, the call count `count` and
 * the design name `title`. It exercises the mechanism the production list will use.
 */
const v0ToV1: Migration = {
  from: 'busboard.topology/v0',
  to: 'busboard.topology/v1',
  up(doc) {
    const { title, services, ...rest } = doc as { title?: string; services?: Record<string, unknown>[] };
    return {
      ...rest,
      schema: 'busboard.topology/v1',
      name: title ?? '',
      services: (services ?? []).map(({ timeMs, calls, ...s }) => ({
        ...s,
        serviceTimeMs: timeMs,
        calls: ((calls as Record<string, unknown>[] | undefined) ?? []).map(({ count, ...c }) => ({ ...c, perRequest: count })),
      })),
    };
  },
};

describe('migrations', () => {
  it('migrates a v0 fixture to a valid v1 document without touching the input', () => {
    const old = fixture('v0-checkout.json');
    const before = structuredClone(old);
    const result = migrate(old, [v0ToV1, ...MIGRATIONS]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.applied).toEqual([
      'busboard.topology/v0 → busboard.topology/v1',
      'busboard.topology/v1 → busboard.topology/v2',
      'busboard.topology/v2 → busboard.topology/v3',
    ]);
    expect(old).toEqual(before);
    const parsed = parseTopology(result.doc);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.doc.name).toBe('Checkout (v0)');
      expect(parsed.doc.services[0]).toMatchObject({ name: 'edge', serviceTimeMs: 1, calls: [{ to: 'cart', perRequest: 2 }] });
    }
  });

  it('leaves a current document alone and refuses a version it cannot migrate', () => {
    const doc = { schema: 'busboard.topology/v3' };
    expect(migrate(doc, [v0ToV1])).toEqual({ ok: true, doc, applied: [] });
    const r = migrate({ schema: 'busboard.topology/v0' }, []);
    expect(r.ok).toBe(false);
  });

  it('has a fixture of every old version the production list migrates from', () => {
    const fixtures = readdirSync(FIXTURES).map((f) => fixture(f).schema);
    for (const m of MIGRATIONS) expect(fixtures, `a fixture for ${m.from} in schema/fixtures/`).toContain(m.from);
    for (const file of readdirSync(FIXTURES)) {
      const doc = fixture(file);
      if (!MIGRATIONS.some((m) => m.from === doc.schema)) continue;
      expect(parseTopology(doc).ok, `${file} migrates to a valid document`).toBe(true);
    }
  });

  it('migrates every v1 document to v3: same fields, same meaning, nothing shared with the input', () => {
    const old = fixture('v1-checkout.json');
    const before = structuredClone(old);
    const result = migrate(old);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.applied).toEqual(['busboard.topology/v1 → busboard.topology/v2', 'busboard.topology/v2 → busboard.topology/v3']);
    expect(old).toEqual(before);
    const { schema, ...rest } = result.doc;
    const { schema: _old, ...restBefore } = before;
    expect(schema).toBe(SCHEMA_V3);
    expect(rest).toEqual(restBefore);
    // Nothing shared: changing the result leaves the input alone.
    (result.doc.services as { name: string }[])[0] = { name: 'changed' };
    expect(old).toEqual(before);
    const parsed = parseTopology(old);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.doc.schema).toBe(SCHEMA_V3);
      // No queue limit: unbounded, as in v1.
      expect(parsed.doc.services.every((s) => s.queueLimit === undefined)).toBe(true);
    }
    expect(checkTopology(old)).toEqual([]);
  });

  it('reads a v2 field that a v1 document already holds (v1 refused it as unknown)', () => {
    const old = fixture('v1-checkout.json');
    (old.services as Record<string, unknown>[])[1] = { ...(old.services as Record<string, unknown>[])[1], queueLimit: 8 };
    const parsed = parseTopology(old);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.doc.services[1]?.queueLimit).toBe(8);
    expect(v1ToV2.up({ schema: 'busboard.topology/v1', a: undefined })).toEqual({ schema: SCHEMA_V2 });
  });

  it('migrates every v2 document to v3: the overload fields kept, no events added', () => {
    const old = fixture('v2-overload.json');
    const before = structuredClone(old);
    const result = migrate(old);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.applied).toEqual(['busboard.topology/v2 → busboard.topology/v3']);
    expect(old).toEqual(before);
    const { schema, ...rest } = result.doc;
    const { schema: _old, ...restBefore } = before;
    expect(schema).toBe(SCHEMA_V3);
    expect(rest).toEqual(restBefore);
    const parsed = parseTopology(old);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.doc.schema).toBe(SCHEMA_V3);
      expect(parsed.doc.streams).toBeUndefined();
      expect(parsed.doc.services.every((s) => s.publishes === undefined && s.subscribes === undefined)).toBe(true);
      expect(parsed.doc.services[1]).toMatchObject({ queueLimit: 8, maxInFlight: 4, onTimeout: 'stop' });
      expect(parsed.doc.traffic[0]).toMatchObject({ class: 'gold', timeBudgetMs: 2000, retries: 2 });
    }
    expect(checkTopology(old)).toEqual([]);
    expect(v2ToV3.up({ schema: SCHEMA_V2, a: undefined })).toEqual({ schema: SCHEMA_V3 });
  });
});
