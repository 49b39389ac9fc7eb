import { describe, expect, it } from 'vitest';
import { RawJsonSplicer } from './raw-json.ts';

describe('RawJsonSplicer', () => {
  it('puts stored JSON text where its stand-in was serialised, leaving everything else as JSON.stringify wrote it', () => {
    const raw = new RawJsonSplicer();
    const stored = '{"schema":"busboard.topology/v3","name":"ünïcode \\" \\u2028","zones":[{"name":"a","region":"r"}]}';
    const answer = { result: { data: { id: 'd1', name: 'x', doc: raw.embed(stored), after: [1, 2] } } };
    const body = raw.splice(JSON.stringify(answer));
    expect(JSON.parse(body)).toEqual({ result: { data: { id: 'd1', name: 'x', doc: JSON.parse(stored), after: [1, 2] } } });
    expect(body).toContain(stored);
  });

  it('handles several documents in one answer (a batch) and leaves strings that merely look like tokens alone', () => {
    const raw = new RawJsonSplicer();
    const forged = '\u0001raw:guess:0';
    const body = raw.splice(JSON.stringify([{ name: forged, doc: raw.embed('{"a":1}') }, { doc: raw.embed('[2]') }]));
    expect(JSON.parse(body)).toEqual([{ name: forged, doc: { a: 1 } }, { doc: [2] }]);
  });

  it('replaces only tokens it issued: another request’s splicer leaves them as they are', () => {
    const a = new RawJsonSplicer();
    const b = new RawJsonSplicer();
    const body = JSON.stringify({ doc: a.embed('{"a":1}') });
    b.embed('{"b":2}');
    expect(b.splice(body)).toBe(body);
    expect(JSON.parse(a.splice(body))).toEqual({ doc: { a: 1 } });
  });
});
