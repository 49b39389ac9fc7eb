/**
 * The house rules of issue 15 that a machine can check: no import cycles anywhere, and no
 * function over 150 lines in core or the API. Known exceptions are listed by name and must
 * stay true (an exception that no longer applies fails too, so the list only shrinks).
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCycles, longFunctions, ROOT, sources } from './scan.ts';

const core = sources(`${ROOT}/packages/core/src`);
const api = sources(`${ROOT}/apps/api/src`);
const web = sources(`${ROOT}/apps/web/src`);

/** Cycles left while other work touches both files; each entry is one cycle's files, sorted. */
const KNOWN_CYCLES: string[][] = [];

/** Long functions still waiting for their split, by file and name (none left). */
const KNOWN_LONG: string[] = [];

describe('the house', () => {
  it('has no import cycles between source files', () => {
    const cycles = importCycles([...core, ...api, ...web]).map((c) => [...c].sort());
    const key = (c: string[]): string => c.join(' ↔ ');
    const unknown = cycles.filter((c) => !KNOWN_CYCLES.some((k) => key(k) === key(c)));
    expect(unknown.map(key)).toEqual([]);
    const gone = KNOWN_CYCLES.filter((k) => !cycles.some((c) => key(c) === key(k)));
    expect(gone.map(key), 'a known cycle is gone: take it off KNOWN_CYCLES').toEqual([]);
  });

  it('has no function over 150 lines in core or the API', () => {
    const long = longFunctions([...core, ...api], 150).map((l) => l.replace(/:\d+ (\S+) \(\d+ lines\)$/, ' $1'));
    expect(long.filter((l) => !KNOWN_LONG.includes(l))).toEqual([]);
    expect(
      KNOWN_LONG.filter((k) => !long.includes(k)),
      'a known long function is gone: take it off KNOWN_LONG',
    ).toEqual([]);
  });

  it('builds and reads canvas ids only in the id module', () => {
    // A prefix written into a string (`svc:${…}`, 'bundle:') or an id cut by hand (`slice(4)`).
    const hand = /[`'"](svc|bundle|rs|call|db|ext|zone|natsrv|flow):|\.slice\((3|4|5|7)\)|indexOf\(':'\)/;
    const found = web
      .filter((f) => !f.endsWith('canvas/ids.ts'))
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => ({ line, at: `${relative(ROOT, f)}:${i + 1}` }))
          .filter(({ line }) => hand.test(line) && !/^\s*(\/\/|\*|\/\*\*)/.test(line))
          .map(({ at, line }) => `${at} ${line.trim()}`),
      );
    expect(found).toEqual([]);
  });

  it("lists core's exports by name (no `export *` in an index)", () => {
    // As query-core's index does: a reader sees every public name, and a clash is a compile error, not a silent drop.
    const star = core
      .filter((f) => f.endsWith('/index.ts'))
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => ({ line, at: `${relative(ROOT, f)}:${i + 1}` }))
          .filter(({ line }) => /^\s*export\s*\*\s*from/.test(line))
          .map(({ at, line }) => `${at} ${line.trim()}`),
      );
    expect(star).toEqual([]);
  });

  it('builds TRPCErrors in one module (apps/api/src/failures.ts)', () => {
    // Every failure has one shape ({ok: false, problems}); only failures.ts turns it into an HTTP answer.
    const built = api
      .filter((f) => !f.endsWith('apps/api/src/failures.ts'))
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => ({ line, at: `${relative(ROOT, f)}:${i + 1}` }))
          .filter(({ line }) => /new\s+TRPCError\b|extends\s+TRPCError\b|import\s*\{[^}]*\bTRPCError\b[^}]*\}\s*from\s*'@trpc\/server'/.test(line))
          .map(({ at, line }) => `${at} ${line.trim()}`),
      );
    expect(built).toEqual([]);
  });
});
