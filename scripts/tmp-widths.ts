import { consumerDoc, mmc, runDoc } from '../packages/core/src/des/async-test-docs.ts';
const C = 'async.streams["S"].consumers["c"]';
const show = (label: string, r: ReturnType<typeof runDoc>, exact: Record<string, number>) => {
  const c = r.async?.streams.S?.consumers.c;
  console.log(label, 'reps', r.des.replications, 'requests', r.des.requests);
  for (const [k, v] of Object.entries(exact)) console.log('  ', k, 'exact', v.toFixed(4), 'ci', r.des.intervals[`${C}.${k}`]?.map((x) => x.toFixed(4)).join(' – '));
  console.log('   latency mean', c?.latency.latencyMs?.mean.toFixed(3), c?.latency.latencyMs?.ci?.mean?.map((x) => x.toFixed(3)).join(' – '), 'p99', c?.latency.latencyMs?.p99.toFixed(2), 'lagDrain', c?.lagDrainSeconds);
};
const e = mmc(400, 8, 4);
show('M/M/4', runDoc(consumerDoc({ rps: 400, serviceTimeMs: 8, workers: 2, replicas: 2 }), 11, 600_000), { utilization: e.rho, meanPending: e.lq, meanAckPending: 3.2 });
console.log('   exact sojourn', e.sojournMs);
const e3 = mmc(250, 10, 3);
show('ack3', runDoc(consumerDoc({ rps: 250, serviceTimeMs: 10, workers: 8, maxAckPending: 3 }), 12, 600_000), { utilization: e3.rho, meanPending: e3.lq });
console.log('   exact sojourn', e3.sojournMs);
show('redeliver', runDoc(consumerDoc({ rps: 100, serviceTimeMs: 5, workers: 4, failureRate: 0.2, ackWaitMs: 200 }), 13, 400_000), { deliverRps: 125, redeliverRps: 25, meanAckPending: 5.5 });
show('burst', runDoc(consumerDoc({ rps: 400, serviceTimeMs: 8, workers: 4 }), 15, 400_000, { async: { eventBurst: 2000 } }), { drainMs: 19992 });
show('outage', runDoc(consumerDoc({ rps: 400, serviceTimeMs: 8, workers: 4 }), 16, 400_000, { async: { consumerOutageSeconds: 5 } }), { drainMs: 19960, backlog: 2000 });
