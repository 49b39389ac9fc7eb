import { EXAMPLES, parseTopology } from '@busboard/core';
import { describe, expect, it } from 'vitest';
import { deleteCommands } from '../designer/useShortcuts.ts';
import { pathToSelection } from './paths.ts';

const parsed = parseTopology(EXAMPLES.find((e) => e.id === 'checkout')?.doc);
if (!parsed.ok) throw new Error('bad example');
const doc = parsed.doc;

describe('warnings and problems select what they name', () => {
  it('maps document paths to canvas ids', () => {
    expect(pathToSelection(doc, 'bundles[1].replicas["us-west-2c"]')).toBe('bundle:shop');
    expect(pathToSelection(doc, 'services[2]')).toBe('svc:cart.checkout');
    expect(pathToSelection(doc, 'services[2].calls[1].to')).toBe('call:cart.checkout#1');
    expect(pathToSelection(doc, 'externals[0].latencyMs')).toBe('ext:processor');
    expect(pathToSelection(doc, 'zones[1]')).toBe('zone:us-west-2b');
    expect(pathToSelection(doc, 'traffic[0].rps')).toBe('svc:edge.checkout');
    expect(pathToSelection(doc, 'slo[0]')).toBe('svc:edge.checkout');
    expect(pathToSelection(doc, 'services[99]')).toBeNull();
    expect(pathToSelection(doc, 'network.natsHopMs')).toBeNull();
  });
});

describe('deleting a selection', () => {
  it('removes calls highest index first, then entities; ignores what cannot be deleted', () => {
    expect(deleteCommands(['call:cart.checkout#0', 'svc:auth.checkout', 'call:cart.checkout#2', 'natsrv:x', 'bundle:edge'])).toEqual([
      { type: 'removeCall', from: 'cart.checkout', index: 2 },
      { type: 'removeCall', from: 'cart.checkout', index: 0 },
      { type: 'remove', target: { kind: 'service', name: 'auth.checkout' } },
      { type: 'remove', target: { kind: 'bundle', name: 'edge' } },
    ]);
  });
});
