import { describe, expect, it } from 'vitest';
import {
  bottleneckNodeId,
  bundleOf,
  callId,
  callTargetId,
  callTargetOf,
  isBottleneckOfDatabase,
  parseCallId,
  parseEntityId,
  parseReplicaSetId,
  replicaSetId,
  selectionOf,
  serviceId,
  serviceOf,
} from './ids.ts';

describe('canvas ids', () => {
  it('round-trips every kind, names with dots and hyphens included', () => {
    expect(serviceOf(serviceId('cart.example'))).toBe('cart.example');
    expect(parseEntityId('zone:us-east-1a')).toEqual({ kind: 'zone', name: 'us-east-1a' });
    expect(bundleOf('svc:shop')).toBeNull();
    expect(parseCallId(callId('cart.example', 3))).toEqual({ from: 'cart.example', index: 3 });
    expect(parseReplicaSetId(replicaSetId('edge', 'eu-west-1b'))).toEqual({ bundle: 'edge', zone: 'eu-west-1b' });
    expect(parseEntityId('call:a#1')).toBeNull();
  });

  it('reads call targets as the document writes them (MODEL.md §2)', () => {
    expect(callTargetId('db:orders')).toBe('db:orders');
    expect(callTargetId('ext:processor')).toBe('ext:processor');
    expect(callTargetId('cart.example')).toBe('svc:cart.example');
    expect(callTargetOf('svc:cart.example')).toBe('cart.example');
    expect(callTargetOf('db:orders')).toBe('db:orders');
  });

  it('selects what a physical id stands for, and finds bottlenecks', () => {
    expect(selectionOf('rs:edge@us-east-1a')).toBe('bundle:edge');
    expect(selectionOf('natsrv:n1')).toBeNull();
    expect(selectionOf('svc:a')).toBe('svc:a');
    expect(bottleneckNodeId('db:orders/2')).toBe('db:orders');
    expect(bottleneckNodeId('cart.example')).toBe('svc:cart.example');
    expect(isBottleneckOfDatabase('db:orders/0', 'orders')).toBe(true);
    expect(isBottleneckOfDatabase('db:orders2/0', 'orders')).toBe(false);
    expect(isBottleneckOfDatabase(null, 'orders')).toBe(false);
  });
});
