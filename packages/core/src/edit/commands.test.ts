import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../examples/index.ts';
import { applyCommand } from './commands.ts';

describe('edit commands', () => {
  const doc = EXAMPLES[0]?.doc;
  if (!doc) throw new Error('no examples');
  it('sets one zone of one bundle and leaves the input untouched', () => {
    const next = applyCommand(doc, { type: 'setReplicas', bundle: 'shop', zone: 'us-east-1c', replicas: 5 });
    expect(next.bundles?.find((b) => b.name === 'shop')?.replicas['us-east-1c']).toBe(5);
    expect(doc.bundles?.find((b) => b.name === 'shop')?.replicas['us-east-1c']).toBe(2);
  });
  it('returns the same document when nothing changes (no empty undo steps)', () => {
    expect(applyCommand(doc, { type: 'setReplicas', bundle: 'shop', zone: 'us-east-1c', replicas: 2 })).toBe(doc);
  });
});
