import { describe, expect, it } from 'vitest';
import { failure, formatPath, formatProblem, formatProblems, issueProblems } from './problems.ts';

describe('the one failure shape', () => {
  it('builds {ok: false, problems} from a sentence (at a path, or the whole request) or from problems', () => {
    expect(failure('no design "d1"', 'id')).toEqual({ ok: false, problems: [{ path: 'id', message: 'no design "d1"' }] });
    expect(failure('shutting down')).toEqual({ ok: false, problems: [{ path: '', message: 'shutting down' }] });
    const two = [
      { path: 'zones', message: 'a design needs at least one zone' },
      { path: 'services[2].calls[0].to', message: 'no service "cart.exmple"' },
    ];
    expect(failure(two)).toEqual({ ok: false, problems: two });
  });

  it('says where in the form MODEL.md uses, and names the rest of a list by its count', () => {
    expect(formatPath(['services', 3, 'calls', 0, 'to'])).toBe('services[3].calls[0].to');
    expect(formatPath(['bundles', 1, 'replicas', 'us-east-1a'])).toBe('bundles[1].replicas["us-east-1a"]');
    expect(formatProblem({ path: '', message: 'shutting down' })).toBe('shutting down');
    expect(
      formatProblems([
        { path: 'zones', message: 'empty' },
        { path: 'name', message: 'too long' },
        { path: '', message: 'x' },
      ]),
    ).toBe('zones: empty (and 2 more)');
  });

  it('reads validation issues as problems, an issue about the whole input at the name given', () => {
    expect(
      issueProblems(
        [
          { path: ['servers', 0], message: 'not a URL' },
          { path: [], message: 'give NATS URLs or monitoring URLs' },
        ],
        'connection',
      ),
    ).toEqual([
      { path: 'servers[0]', message: 'not a URL' },
      { path: 'connection', message: 'give NATS URLs or monitoring URLs' },
    ]);
  });
});
