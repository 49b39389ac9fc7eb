import { describe, expect, it } from 'vitest';
import { noRevision, readable, restoring, undeletable, writable } from './decide.ts';
import type { HeadRow } from './rows.ts';
import { RETENTION_MS } from './types.ts';

const head: HeadRow = {
  id: 'd1',
  name: 'Checkout',
  revision: 4,
  createdAt: '2025-03-01T09:00:00.000Z',
  updatedAt: '2025-03-02T10:30:00.000Z',
  updatedBy: 'ben',
  deletedAt: null,
  deletedBy: null,
};
const inTrash: HeadRow = { ...head, deletedAt: '2025-03-03T12:00:00.000Z', deletedBy: 'ana' };
const deletedAt = Date.parse('2025-03-03T12:00:00.000Z');

describe('readable', () => {
  it('answers a missing design as not-found and one in the trash as deleted, saying when', () => {
    expect(readable('d1', undefined)).toEqual({ ok: false, reason: 'not-found', id: 'd1' });
    expect(readable('d1', inTrash)).toEqual({ ok: false, reason: 'deleted', id: 'd1', deletedAt: '2025-03-03T12:00:00.000Z' });
  });

  it('hands back the very row it was given', () => {
    const r = readable('d1', head);
    expect(r.ok && r.head).toBe(head);
  });
});

describe('writable', () => {
  it('takes a write on the latest revision, or with no revision named', () => {
    expect(writable('d1', head, 4)).toEqual({ ok: true, head });
    expect(writable('d1', head, undefined)).toEqual({ ok: true, head });
  });

  it('refuses a write on an older revision, naming the latest, who wrote it and when', () => {
    expect(writable('d1', head, 3)).toEqual({
      ok: false,
      reason: 'conflict',
      id: 'd1',
      expectedRevision: 3,
      latestRevision: 4,
      latestBy: 'ben',
      latestAt: '2025-03-02T10:30:00.000Z',
    });
    // A revision from the future is no less stale.
    expect(writable('d1', head, 5)).toMatchObject({ ok: false, reason: 'conflict', expectedRevision: 5, latestRevision: 4 });
  });

  it('says not-found or deleted before looking at revisions', () => {
    expect(writable('d1', undefined, 4)).toEqual({ ok: false, reason: 'not-found', id: 'd1' });
    expect(writable('d1', inTrash, 3)).toMatchObject({ ok: false, reason: 'deleted' });
    expect(writable('d1', inTrash, undefined)).toMatchObject({ ok: false, reason: 'deleted' });
  });
});

describe('undeletable', () => {
  it('brings a design back up to the last millisecond of its 30 days in the trash', () => {
    expect(undeletable('d1', inTrash, new Date(deletedAt + RETENTION_MS - 1))).toEqual({ ok: true, saved: { id: 'd1', revision: 4 }, inTrash: true });
  });

  it('answers purged from the moment the 30 days are over, purge run or not', () => {
    expect(undeletable('d1', inTrash, new Date(deletedAt + RETENTION_MS))).toEqual({ ok: false, reason: 'purged', id: 'd1' });
    expect(undeletable('d1', inTrash, new Date(deletedAt + 2 * RETENTION_MS))).toEqual({ ok: false, reason: 'purged', id: 'd1' });
  });

  it('leaves a design that is not in the trash as it is, and answers a missing one as not-found', () => {
    expect(undeletable('d1', head, new Date(deletedAt))).toEqual({ ok: true, saved: { id: 'd1', revision: 4 }, inTrash: false });
    expect(undeletable('d1', undefined, new Date(deletedAt))).toEqual({ ok: false, reason: 'not-found', id: 'd1' });
  });
});

describe('noRevision', () => {
  it('names the revision a folded one went into, and has no foldedInto key otherwise', () => {
    expect(noRevision('d1', 3, 5)).toStrictEqual({ ok: false, reason: 'no-revision', id: 'd1', revision: 3, foldedInto: 5 });
    expect(noRevision('d1', 99, undefined)).toStrictEqual({ ok: false, reason: 'no-revision', id: 'd1', revision: 99 });
  });
});

describe('restoring', () => {
  it('writes the old name, the restorer, and which revision came back', () => {
    expect(restoring(2, 'Checkout v2', 'ana')).toEqual({ name: 'Checkout v2', author: 'ana', message: 'restored revision 2' });
  });
});
