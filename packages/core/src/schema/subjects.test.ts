import { describe, expect, it } from 'vitest';
import { subjectMatches, subjectsOverlap, subjectWithin } from './subjects.ts';

describe('NATS subject matching', () => {
  it('matches literal subjects as the server does', () => {
    expect(subjectMatches('orders.created', 'orders.created')).toBe(true);
    expect(subjectMatches('orders.*', 'orders.created')).toBe(true);
    expect(subjectMatches('orders.*', 'orders.created.eu')).toBe(false);
    expect(subjectMatches('orders.>', 'orders.created.eu')).toBe(true);
    expect(subjectMatches('orders.>', 'orders')).toBe(false);
    expect(subjectMatches('>', 'a')).toBe(true);
    expect(subjectMatches('*.created', 'orders.created')).toBe(true);
    expect(subjectMatches('orders', 'orders.created')).toBe(false);
  });
  it('finds overlapping patterns', () => {
    expect(subjectsOverlap('orders.*', 'orders.created')).toBe(true);
    expect(subjectsOverlap('orders.*', '*.created')).toBe(true);
    expect(subjectsOverlap('orders.>', 'orders.a.b')).toBe(true);
    expect(subjectsOverlap('orders.>', 'orders')).toBe(false);
    expect(subjectsOverlap('orders.*', 'payments.*')).toBe(false);
    expect(subjectsOverlap('a.*', 'a.*.b')).toBe(false);
    expect(subjectsOverlap('>', 'x.y')).toBe(true);
  });
  it('knows a filter within a stream subject', () => {
    expect(subjectWithin('orders.created', 'orders.*')).toBe(true);
    expect(subjectWithin('orders.*', 'orders.>')).toBe(true);
    expect(subjectWithin('orders.>', 'orders.*')).toBe(false);
    expect(subjectWithin('orders.*', 'orders.created')).toBe(false);
    expect(subjectWithin('orders.a.b', 'orders.>')).toBe(true);
    expect(subjectWithin('orders', 'orders.>')).toBe(false);
  });
});
