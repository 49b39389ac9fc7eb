import { it } from 'vitest';
import { recommend } from '../engine/recommend/index.ts';
import { simulate } from '../engine/simulate.ts';
import { EXAMPLES } from '../examples/index.ts';
import { parseTopology } from '../schema/validate.ts';
import { goalSeek } from './seek.ts';

it('prof', () => {
  for (const id of ['flow8-tier', 'microbus-shop']) {
    const ex = EXAMPLES.find((e) => e.id === id);
    const r = parseTopology(ex!.doc);
    if (!r.ok) return;
    let t = performance.now();
    simulate(r.doc);
    console.log(id, 'sim', (performance.now() - t).toFixed(0));
    t = performance.now();
    simulate(r.doc);
    console.log(id, 'sim2', (performance.now() - t).toFixed(0));
    t = performance.now();
    recommend(r.doc);
    console.log(id, 'rec', (performance.now() - t).toFixed(0));
    t = performance.now();
    const g = goalSeek(r.doc);
    console.log(id, 'goal', (performance.now() - t).toFixed(0), g.evaluations);
  }
}, 60000);
