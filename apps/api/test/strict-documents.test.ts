import { EXAMPLES } from '@busboard/core';
import { describe, expect, it } from 'vitest';
import type { Context } from '../src/context.ts';
import { appRouter } from '../src/routers/_app.ts';
import { openSqliteStore } from '../src/storage/sqlite.ts';
import { createCallerFactory } from '../src/trpc.ts';
import { tempDir } from './support/server.ts';

/** Unknown fields (issue 12, item 7) and the red-team limits (issue 21) at the API: refused with their paths, nothing stored. */
const shop = () => structuredClone(EXAMPLES.find((e) => e.id === 'microbus-shop')?.doc) as Record<string, any>;

describe('the API refuses what the schema does not know or allow', () => {
  it('designs.save: an unknown field is refused with its path and nothing is stored', async () => {
    const store = openSqliteStore(tempDir());
    const caller = createCallerFactory(appRouter)({ store, author: 'ana' } satisfies Context);
    const doc = shop();
    doc.services[0].maxQueue = 200;
    const err = (await caller.designs.save({ name: 'shop', doc: doc as never }).catch((e: unknown) => e)) as {
      code: string;
      cause: { issues: { params?: { problem?: unknown } }[] };
    };
    expect(err.code).toBe('BAD_REQUEST');
    // Each issue carries core's problem; the HTTP error formatter reports these (designs-http.test.ts).
    expect(err.cause.issues.map((i) => i.params?.problem)).toEqual([
      { path: 'services[0].maxQueue', message: expect.stringMatching(/^unknown field: not part of busboard\.topology\/v3/) },
    ]);
    expect(await caller.designs.list()).toEqual([]);
    await store.close();
  });

  it('simulate.run: unknown fields and values past the limits are refused with their paths', async () => {
    const store = openSqliteStore(tempDir());
    const caller = createCallerFactory(appRouter)({ store, author: 'ana' } satisfies Context);
    const doc = shop();
    doc.services[0].maxQueue = 200;
    doc.services[1].serviceTimeCv = 1e300;
    doc.nats[0].serversPerZone = 1e9;
    const err = await caller.simulate.run({ doc }).catch((e: unknown) => e as { problems: { path: string }[] });
    expect((err as { problems: { path: string }[] }).problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['services[0].maxQueue', 'services[1].serviceTimeCv', 'nats[0].serversPerZone']),
    );
    await store.close();
  });

  it('designs.save: a v1 document is stored as its v2 migration, and reads back as v2', async () => {
    const store = openSqliteStore(tempDir());
    const caller = createCallerFactory(appRouter)({ store, author: 'ana' } satisfies Context);
    const doc = { ...shop(), schema: 'busboard.topology/v1' };
    const saved = await caller.designs.save({ name: 'old shop', doc: doc as never });
    const back = await caller.designs.get({ id: saved.id });
    expect(back.doc).toEqual({ ...shop(), schema: 'busboard.topology/v3' });
    await store.close();
  });
});
