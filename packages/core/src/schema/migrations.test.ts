import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, type Migration, migrate } from './migrations.ts';
import { parseTopology } from './validate.ts';

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
    const result = migrate(old, [v0ToV1]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.applied).toEqual(['busboard.topology/v0 → busboard.topology/v1']);
    expect(old).toEqual(before);
    const parsed = parseTopology(result.doc);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.doc.name).toBe('Checkout (v0)');
      expect(parsed.doc.services[0]).toMatchObject({ name: 'edge', serviceTimeMs: 1, calls: [{ to: 'cart', perRequest: 2 }] });
    }
  });

  it('leaves a current document alone and refuses a version it cannot migrate', () => {
    const doc = { schema: 'busboard.topology/v1' };
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
});
