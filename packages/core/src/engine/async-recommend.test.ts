/**
 * The recommendation counts async messaging (schema v3, issue 18): subscription events on the
 * services' workers and consumer handlers on their pool, by hand.
 */
import { describe, expect, it } from 'vitest';
import { docOf, FREE_NETWORK } from '../../test/docs.ts';
import { recommend } from './recommend/index.ts';

const zones = ['a', 'b', 'c'].map((name) => ({ name, region: 'r' }));
const one = { a: 1, b: 1, c: 1 };

describe('recommend with events', () => {
  it('a sink fed by events alone: 300 events/s × 10 ms on one worker needs (2, 2, 2)', () => {
    // ρ ≤ 0.7: 3 / N ≤ 0.7 → N ≥ 5; any zone down, ρ < 1: the other two zones hold more than 3 → 2 each.
    const d = docOf({
      zones,
      network: FREE_NETWORK,
      services: [
        { name: 'pub', serviceTimeMs: 0.01, workers: 8, publishes: [{ subject: 'e' }] },
        { name: 'sink', serviceTimeMs: 10, subscribes: [{ subject: 'e' }] },
      ],
      bundles: [
        { name: 'pub', services: ['pub'], replicas: one, cpu: 8 },
        { name: 'sink', services: ['sink'], replicas: one },
      ],
      traffic: [{ entry: 'pub', rps: 300 }],
    });
    expect(recommend(d).bundles.sink?.replicas).toEqual({ a: 2, b: 2, c: 2 });
  });

  it('a consumer: 300 msgs/s × 40 ms = 12 handlers busy, 4 workers per replica, needs (2, 2, 2)', () => {
    // 12 / (4N) ≤ 0.7 → N ≥ 5; a zone down: 12 / (4N') < 1 → N' > 3.
    const d = docOf({
      zones,
      network: FREE_NETWORK,
      nats: [{ name: 'n', region: 'r' }],
      services: [
        { name: 'pub', serviceTimeMs: 0.01, workers: 8, publishes: [{ subject: 'jobs.new' }] },
        { name: 'worker', serviceTimeMs: 40, workers: 4 },
      ],
      bundles: [
        { name: 'pub', services: ['pub'], replicas: one, cpu: 8 },
        { name: 'worker', services: ['worker'], replicas: one, cpu: 8 },
      ],
      traffic: [{ entry: 'pub', rps: 300 }],
      streams: [{ name: 'JOBS', subjects: ['jobs.>'], replicas: 3 }],
      consumers: [{ name: 'w', stream: 'JOBS', service: 'worker', workers: 4 }],
    });
    expect(recommend(d).bundles.worker?.replicas).toEqual({ a: 2, b: 2, c: 2 });
  });
});
