import { describe, expect, it } from 'vitest';
import { foldsInto, type LatestRevision, nextRevision } from './fold.ts';
import { AUTOSAVE_WINDOW_MS } from './types.ts';

const runStart = Date.parse('2025-03-01T09:00:00.000Z');
/** Revision 7: ana's autosave, the third save of a run that began at `runStart` with revision 5. */
const latest: LatestRevision = { revision: 7, author: 'ana', autosave: true, saves: 3, startedAt: '2025-03-01T09:00:00.000Z', foldedFrom: 5 };
const at = (ms: number) => new Date(runStart + ms);

describe('foldsInto', () => {
  it('folds an autosave by the same author while the run is younger than the window', () => {
    expect(foldsInto(latest, { autosave: true, author: 'ana' }, at(0))).toBe(true);
    expect(foldsInto(latest, { autosave: true, author: 'ana' }, at(AUTOSAVE_WINDOW_MS - 1))).toBe(true);
  });

  it('starts a new revision for an explicit save, another author, or after an explicit revision', () => {
    expect(foldsInto(latest, { author: 'ana' }, at(1000))).toBe(false);
    expect(foldsInto(latest, { autosave: false, author: 'ana' }, at(1000))).toBe(false);
    expect(foldsInto(latest, { autosave: true, author: 'ben' }, at(1000))).toBe(false);
    expect(foldsInto({ ...latest, autosave: false }, { autosave: true, author: 'ana' }, at(1000))).toBe(false);
  });

  it('ends the run once the window has passed, and never folds into a run that begins in the future', () => {
    expect(foldsInto(latest, { autosave: true, author: 'ana' }, at(AUTOSAVE_WINDOW_MS))).toBe(false);
    expect(foldsInto(latest, { autosave: true, author: 'ana' }, at(-1))).toBe(false);
  });
});

describe('nextRevision', () => {
  it('makes revision 1 of a new design a run of its own, begun now', () => {
    expect(nextRevision(undefined, { autosave: true, author: 'ana' }, at(0))).toEqual({
      next: { revision: 1, author: 'ana', autosave: true, saves: 1, startedAt: '2025-03-01T09:00:00.000Z', foldedFrom: null },
      folds: false,
    });
  });

  it('carries a folded run on: one more save, the same start, the run’s first revision', () => {
    expect(nextRevision(latest, { autosave: true, author: 'ana' }, at(60_000))).toEqual({
      next: { revision: 8, author: 'ana', autosave: true, saves: 4, startedAt: '2025-03-01T09:00:00.000Z', foldedFrom: 5 },
      folds: true,
    });
    // The first fold of a run starts it at the revision it replaces.
    const first = { ...latest, saves: 1, foldedFrom: null };
    expect(nextRevision(first, { autosave: true, author: 'ana' }, at(60_000)).next).toMatchObject({ revision: 8, saves: 2, foldedFrom: 7 });
  });

  it('starts a new run, begun now, when the save does not fold', () => {
    expect(nextRevision(latest, { author: 'ana' }, at(60_000))).toEqual({
      next: { revision: 8, author: 'ana', autosave: false, saves: 1, startedAt: '2025-03-01T09:01:00.000Z', foldedFrom: null },
      folds: false,
    });
  });
});
