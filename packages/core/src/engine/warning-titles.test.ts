import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../examples/index.ts';
import { parseTopology } from '../schema/validate.ts';
import { simulate } from './simulate.ts';
import { warningTitle } from './warning-titles.ts';

describe('warning titles', () => {
  it('gives every warning the examples raise a title of words, not its code', () => {
    const codes = new Set<string>();
    for (const ex of EXAMPLES) {
      const parsed = parseTopology(ex.doc);
      if (!parsed.ok) throw new Error(`${ex.id} does not parse`);
      for (const z of [[], ...parsed.doc.zones.map((zz) => [zz.name])]) {
        for (const w of simulate(parsed.doc, { failZones: z, scale: 2 }).warnings) codes.add(w.code);
      }
    }
    expect(codes.size).toBeGreaterThan(1);
    for (const c of codes) expect(warningTitle(c)).not.toBe(c);
  });

  it('reads an unknown code as words, and never looks names up on Object.prototype', () => {
    expect(warningTitle('new-thing')).toBe('New thing');
    expect(warningTitle('constructor')).toBe('Constructor');
    expect(warningTitle('hot-replica')).toBe('Hot replica');
  });
});
