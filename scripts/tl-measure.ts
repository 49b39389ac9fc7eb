import { generateDesign, parseTopology, compile, makeScenario, simulateModel } from '@busboard/core';
const p = parseTopology(generateDesign({ services: 200, seed: 1 }));
if (!p.ok) throw new Error('bad');
const model = compile(p.doc);
for (let i = 0; i < 200; i++) simulateModel(model, makeScenario(model, { scale: 0.5 + (i%40) * 0.01 }), true);
