import { describe, expect, it } from 'vitest';
import { getExample } from '../examples/index.ts';
import { scenarioWarnings } from '../scenario/check.ts';
import type { TopologyInput } from './topology.ts';
import { parseTopology } from './validate.ts';

const checkout = () => JSON.parse(JSON.stringify(getExample('checkout')?.doc)) as TopologyInput;
const withScenarios = (scenarios: unknown[]) => ({ ...checkout(), scenarios }) as TopologyInput;
const problemsOf = (scenarios: unknown[]) => {
  const r = parseTopology(withScenarios(scenarios));
  return r.ok ? [] : r.problems;
};

describe('scenarios in the cross-check', () => {
  it('accepts well-formed variants', () => {
    const r = parseTopology(
      withScenarios([
        { name: 'a', changes: [{ op: 'replace', path: '/bundles/shop/cpu', value: 4 }] },
        {
          name: 'b',
          changes: [{ op: 'add', path: '/timeline/-', value: { atMinute: 10, failZone: 'us-west-2a' } }],
          whatIf: { failZones: ['us-west-2a'] },
        },
        {
          name: 'c',
          changes: [
            { op: 'remove', path: '/zones/us-west-2c' },
            { op: 'replace', path: '/name', value: 'x' },
          ],
        },
      ]),
    );
    expect(r.ok ? [] : r.problems).toEqual([]);
  });

  it('refuses base and duplicate names', () => {
    expect(problemsOf([{ name: 'base' }, { name: 'x' }, { name: 'x' }])).toEqual([
      { path: 'scenarios[0].name', message: '"base" names the design itself: choose another name' },
      { path: 'scenarios[2].name', message: 'duplicate scenario "x" (also scenarios[1])' },
    ]);
  });

  it('names the change whose path does not read, with what to write', () => {
    const got = problemsOf([
      {
        name: 'v',
        changes: [
          { op: 'replace', path: '/bundle/shop', value: 1 },
          { op: 'replace', path: '/schema', value: 'busboard/v2' },
          { op: 'add', path: '/scenarios/-', value: {} },
          { op: 'replace', path: '/bundles//cpu', value: 2 },
          { op: 'replace', path: '/name/x', value: 'y' },
          { op: 'add', path: '/bundles/cart' },
          { op: 'add', path: '/bundles/cart', value: { name: 'carts' } },
          { op: 'remove', path: '/consumers/ORDERS' },
          { op: 'remove', path: '/timeline/first' },
          { op: 'remove', path: '/bundles/a~2b' },
        ],
      },
    ]);
    const at = (j: number, f = 'path') => got.filter((p) => p.path === `scenarios[0].changes[${j}].${f}`).map((p) => p.message);
    expect(at(0)[0]).toMatch(/^no top-level field "bundle": a path starts with one of name, zones, .*bundles/);
    expect(at(1)).toEqual(['a scenario cannot change schema: remove this change']);
    expect(at(2)).toEqual(['a scenario cannot change scenarios: remove this change']);
    expect(at(3)).toEqual(['an empty segment (// or a trailing /): name the item, e.g. /bundles/sessions']);
    expect(at(4)).toEqual(['name holds one value: change it whole with the path /name']);
    expect(at(5, 'value')).toEqual(['add needs a value: the new item or field']);
    expect(at(6, 'value')).toEqual(['the item is "carts" but the path names "cart": make them agree (the path names the item the change replaces)']);
    expect(at(7)).toEqual(['a consumer is named <stream>/<name>: write /consumers/ORDERS~1fulfil']);
    expect(at(8)).toEqual(['timeline items are named by their index (/timeline/0) or /timeline/- for a new last item']);
    expect(at(9)).toEqual(['write "~" as ~0 and a "/" inside a name as ~1']);
    expect(got).toHaveLength(10);
  });

  it('checks failed zones against the zones of the variant', () => {
    const got = problemsOf([
      { name: 'a', whatIf: { failZones: ['us-west-2d', 'us-west-2a', 'us-west-2a'] } },
      {
        name: 'b',
        changes: [
          { op: 'add', path: '/zones/us-west-2d', value: { name: 'us-west-2d', region: 'us-west-2' } },
          { op: 'remove', path: '/zones/us-west-2c' },
        ],
        whatIf: { failZones: ['us-west-2d', 'us-west-2c'] },
      },
    ]);
    expect(got).toEqual([
      { path: 'scenarios[0].whatIf.failZones[0]', message: 'no zone "us-west-2d" in this scenario (it has us-west-2a, us-west-2b, us-west-2c)' },
      { path: 'scenarios[0].whatIf.failZones[2]', message: '"us-west-2a" is listed twice: keep one' },
      { path: 'scenarios[1].whatIf.failZones[1]', message: 'no zone "us-west-2c" in this scenario (it has us-west-2a, us-west-2b, us-west-2d)' },
    ]);
  });

  it('leaves conflicts and invalid variants to warnings: the design still parses', () => {
    const input = withScenarios([
      { name: 'gone', changes: [{ op: 'replace', path: '/bundles/nope/cpu', value: 2 }] },
      { name: 'broken', changes: [{ op: 'replace', path: '/bundles/shop/cpu', value: -1 }] },
      { name: 'fine', changes: [{ op: 'replace', path: '/bundles/shop/cpu', value: 3 }] },
    ]);
    expect(parseTopology(input).ok).toBe(true);
    const w = scenarioWarnings(input);
    expect(w.map((p) => p.path)).toEqual(['scenarios[0]', 'scenarios[1]']);
    expect(w[0]?.message).toBe('"gone": replace /bundles/nope/cpu: no bundles item nope in the base');
    expect(w[1]?.message).toMatch(/^"broken" leaves an invalid design: bundles\[1\]\.cpu: .*; fix its changes$/);
  });

  it('limits the number of scenarios', () => {
    const many = Array.from({ length: 33 }, (_, i) => ({ name: `s${i}` }));
    expect(problemsOf(many)).toEqual([{ path: 'scenarios', message: expect.stringMatching(/^33 scenarios; at most 32/) }]);
  });
});
