import { describe, expect, it } from 'vitest';
import { bundleZones, zoneMarks } from './zones.ts';

describe('zone marks', () => {
  it('drop the shared part of the names, keeping each short label whole', () => {
    const marks = zoneMarks([
      { name: 'us-east-1a', region: 'us-east-1' },
      { name: 'us-east-1b', region: 'us-east-1' },
      { name: 'eu-west-1a', region: 'eu-west-1' },
    ]);
    expect(marks.map((m) => m.short)).toEqual(['us-east-1a', 'us-east-1b', 'eu-west-1a']);
    const one = zoneMarks([
      { name: 'us-east-1a', region: 'us-east-1' },
      { name: 'us-east-1b', region: 'us-east-1' },
      { name: 'us-east-1c', region: 'us-east-1' },
    ]);
    expect(one.map((m) => m.short)).toEqual(['1a', '1b', '1c']);
    expect(one.map((m) => m.tint)).toEqual([0, 1, 2]);
    expect(zoneMarks([{ name: 'solo', region: 'r' }]).map((m) => m.short)).toEqual(['solo']);
  });

  it('list a bundle’s zones in zone order, with failed ones marked', () => {
    const marks = zoneMarks([
      { name: 'z-a', region: 'r' },
      { name: 'z-b', region: 'r' },
      { name: 'z-c', region: 'r' },
    ]);
    expect(bundleZones(marks, { 'z-c': 2, 'z-a': 1, 'z-b': 0 }, ['z-c']).map((z) => [z.short, z.count, z.failed])).toEqual([
      ['a', 1, false],
      ['c', 2, true],
    ]);
  });
});
