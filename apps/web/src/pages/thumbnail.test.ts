import { EXAMPLES, parseTopology } from '@busboard/core';
import { describe, expect, it } from 'vitest';
import { freshName, thumbnail } from './thumbnail.ts';

describe('designs list helpers', () => {
  it('draws one box per bundle inside the thumbnail, and a line per bundle-to-bundle call', () => {
    const shop = EXAMPLES.find((e) => e.id === 'microbus-shop');
    const parsed = parseTopology(shop?.doc);
    if (!parsed.ok) throw new Error('shop does not parse');
    const t = thumbnail(parsed.doc);
    expect(t.boxes).toHaveLength(parsed.doc.bundles.length);
    for (const b of t.boxes) {
      expect(b.x).toBeGreaterThanOrEqual(0);
      expect(b.x + b.w).toBeLessThanOrEqual(t.width + 1e-9);
      expect(b.y + b.h).toBeLessThanOrEqual(t.height + 1e-9);
    }
    expect(t.lines.length).toBeGreaterThan(0);
  });

  it('names a new design apart from the ones there', () => {
    expect(freshName('Untitled design', [])).toBe('Untitled design');
    expect(freshName('Untitled design', ['Untitled design', 'Untitled design 2'])).toBe('Untitled design 3');
  });
});
