import { createDesRun, parseTopology } from '@busboard/core';
import { ordersEvents } from '../packages/core/src/examples/orders-events.ts';
const p = parseTopology(ordersEvents);
if (!p.ok) throw new Error('bad');
const t0 = performance.now();
const r = createDesRun({ doc: p.doc, seed: 1, requests: 400_000, async: process.argv[2] ? { eventBurst: Number(process.argv[2]) } : undefined }).runToEnd();
console.log(JSON.stringify({ async: r.async, events: r.entries['http.ingress.core']?.events, lat: r.entries['http.ingress.core']?.latencyMs?.p99, ev: r.des.events, reps: r.des.replications }, null, 1).slice(0, 6000));
console.log((performance.now() - t0).toFixed(0), 'ms');
