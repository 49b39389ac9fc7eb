import { EXAMPLES } from '@busboard/core';
import { describe, expect, it } from 'vitest';
import { decodeShare, encodeShare } from './share.ts';

const doc = EXAMPLES[0]?.doc;
if (!doc) throw new Error('no examples');

describe('share links', () => {
  it('round-trips a design through a URL-safe, compressed string', async () => {
    const data = await encodeShare(doc);
    expect(data).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(data.length).toBeLessThan(JSON.stringify(doc).length / 2);
    expect(await decodeShare(data)).toEqual(doc);
  });
  it('says a damaged link is damaged', async () => {
    const data = await encodeShare(doc);
    await expect(decodeShare(data.slice(0, data.length / 2))).rejects.toThrow(/damaged or incomplete/);
  });
});
