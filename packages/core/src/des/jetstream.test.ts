/**
 * JetStream consumers in the DES (des/jetstream.ts) against closed forms computed here, each
 * inside the DES's 99 % interval (pinned seeds): a consumer as M/M/c (Erlang C), maxAckPending
 * below the workers as M/M/maxAckPending, redelivery after ackWaitMs. One zone and no network
 * cost, so a message's latency is its wait plus its handling.
 */
import { describe, expect, it } from 'vitest';
import { consumerDoc, inside, mmc, runDoc } from './async-test-docs.ts';

const C = 'async.streams["S"].consumers["c"]';

function consumerOf(r: ReturnType<typeof runDoc>) {
  const c = r.async?.streams.S?.consumers.c;
  if (!c) throw new Error('no consumer c in the result');
  return c;
}

describe('a consumer as a queue', () => {
  it('M/M/4 at ρ 0.8: utilization, mean pending (Lq) and mean latency (Wq + S) are Erlang C', () => {
    // 400 msgs/s, 8 ms exponential, 2 replicas × 2 workers: a = 3.2, C(4, 3.2) = 0.5964, Wq = C/(cμ − λ) = 5.964 ms, Lq = 2.386.
    const r = runDoc(consumerDoc({ rps: 400, serviceTimeMs: 8, workers: 2, replicas: 2 }), 11, 1_000_000, { precision: 0 });
    const c = consumerOf(r);
    const exact = mmc(400, 8, 4);
    expect(exact.waitMs).toBeCloseTo(5.964, 2);
    expect(exact.lq).toBeCloseTo(2.386, 2);
    const iv = r.des.intervals;
    expect(c.concurrency).toBe(4);
    expect(c.ackPendingLimited).toBe(false);
    expect(c.stable).toBe(true);
    expect(inside(exact.rho, iv[`${C}.utilization`])).toBe(true);
    expect(inside(exact.lq, iv[`${C}.meanPending`])).toBe(true);
    // Ack pending = messages in service = λ·S (Little).
    expect(inside(3.2, iv[`${C}.meanAckPending`])).toBe(true);
    expect(inside(exact.sojournMs, c.latency.latencyMs?.ci?.mean)).toBe(true);
    expect(c.deliverRps).toBeCloseTo(400, 6);
    expect(c.redeliverRps).toBe(0);
  });

  it('maxAckPending 3 below 8 workers: the consumer is M/M/3', () => {
    // 250 msgs/s, 10 ms: a = 2.5 on 3 slots (ρ 0.833): Wq = 15.09 ms, Lq = 3.77.
    const r = runDoc(consumerDoc({ rps: 250, serviceTimeMs: 10, workers: 8, maxAckPending: 3 }), 12, 1_000_000, { precision: 0 });
    const c = consumerOf(r);
    const exact = mmc(250, 10, 3);
    const iv = r.des.intervals;
    expect(c.concurrency).toBe(3);
    expect(c.ackPendingLimited).toBe(true);
    expect(inside(exact.rho, iv[`${C}.utilization`])).toBe(true);
    expect(inside(exact.lq, iv[`${C}.meanPending`])).toBe(true);
    expect(inside(exact.sojournMs, c.latency.latencyMs?.ci?.mean)).toBe(true);
    // Against the workers' M/M/8 it would wait almost never: the limit is what is measured.
    expect(mmc(250, 10, 8).waitMs).toBeLessThan(0.1);
    // The engine's warning on the measured ρ 0.83 ≥ 0.8.
    expect(r.warnings.find((w) => w.code === 'ack-pending-limit')?.path).toBe('consumers[0].maxAckPending');
  });

  it('redelivery: deliveries λ/(1 − f), and the latency tail holds ackWaitMs', () => {
    // 100 msgs/s, 5 ms, 4 workers, f = 0.2, ackWait 200 ms: 125 deliveries/s, 25 of them redeliveries.
    const r = runDoc(consumerDoc({ rps: 100, serviceTimeMs: 5, workers: 4, failureRate: 0.2, ackWaitMs: 200 }), 13, 400_000);
    const c = consumerOf(r);
    const iv = r.des.intervals;
    expect(inside(125, iv[`${C}.deliverRps`])).toBe(true);
    expect(inside(25, iv[`${C}.redeliverRps`])).toBe(true);
    const lat = c.latency.latencyMs;
    // 20 % of messages fail at least once: P95 and P99 lie beyond one ack wait, P50 below it;
    // the mean is about S + f/(1 − f)·ackWait = 5 + 50 ms (waits for a worker are rare at ρ 0.16).
    expect(lat?.p50).toBeLessThan(200);
    expect(lat?.p95).toBeGreaterThan(200);
    expect(lat?.p99).toBeGreaterThan(200);
    expect(lat?.mean).toBeGreaterThan(54);
    expect(lat?.mean).toBeLessThan(57);
    // Ack slots held: handling (λ/(1−f)·S = 0.625) plus the failed ones' ack wait beyond it (25/s × 0.195 s = 4.875).
    expect(inside(5.5, iv[`${C}.meanAckPending`])).toBe(true);
  });

  it('a consumer that cannot keep up is not simulated into a number', () => {
    const r = runDoc(consumerDoc({ rps: 600, serviceTimeMs: 10, workers: 5 }), 14, 50_000);
    const c = consumerOf(r);
    expect(c.stable).toBe(false);
    expect(c.utilization).toBeCloseTo(1.2, 6);
    expect(c.meanPending).toBeNull();
    expect(c.latency.latencyMs).toBeNull();
    expect(c.latency.reason).toMatch(/cannot keep up \(ρ 1\.20\)/);
    expect(r.warnings.find((w) => w.code === 'consumer-lagging')?.path).toBe('consumers[0]');
    // Its handlers bind headroom: 1 / 1.2.
    expect(r.binding?.constraint).toBe('consumer');
    expect(r.headroom).toBeCloseTo(1 / 1.2, 6);
  });
});

describe('what-ifs: the drain of a backlog', () => {
  it('a burst of B drains in B/(cμ − λ) (fluid) less one mean handling (M/M/c, exact in expectation)', () => {
    // c = 4, μ = 125/s, λ = 400/s: cμ − λ = 100/s. B = 2,000: fluid 20 s; exact 20 − 0.008 s.
    const r = runDoc(consumerDoc({ rps: 400, serviceTimeMs: 8, workers: 4 }), 15, 2_000_000, { async: { eventBurst: 2000 }, minReplications: 40 });
    const c = consumerOf(r);
    const ci = r.des.intervals[`${C}.drainMs`];
    expect(c.backlog).toBe(2000);
    expect(inside(20_000 - 8, ci)).toBe(true);
    // The fluid formula's error is one mean handling: 0.04 % here. One replication's drain has a
    // standard deviation of about 1.3 s (a random walk's first passage over 2,000 levels): over 40
    // replications the mean is within 2 % of the fluid 20 s.
    expect(Math.abs((c.lagDrainSeconds as number) - 20) / 20).toBeLessThan(0.02);
    // The steady figures are those of steady state (the what-if runs after the measured part).
    expect(inside(mmc(400, 8, 4).lq, r.des.intervals[`${C}.meanPending`])).toBe(true);
  });

  it('an outage of T seconds leaves λT behind, drained in λT/(cμ − λ)', () => {
    // λ = 400/s, T = 5 s: backlog 2,000 (Poisson), fluid drain 20 s. At the restart the c idle
    // workers take c at once: exact in expectation (λT − c)/(cμ − λ) = 19.96 s.
    const r = runDoc(consumerDoc({ rps: 400, serviceTimeMs: 8, workers: 4 }), 16, 2_000_000, {
      async: { consumerOutageSeconds: 5 },
      minReplications: 40,
    });
    const c = consumerOf(r);
    expect(inside(2000, r.des.intervals[`${C}.backlog`])).toBe(true);
    expect(inside(19_960, r.des.intervals[`${C}.drainMs`])).toBe(true);
    // One replication's drain has a standard deviation of about 1.4 s here (the first passage, and
    // the Poisson backlog): over 40 replications the mean is within 3 % of the fluid 20 s.
    expect(Math.abs((c.lagDrainSeconds as number) - 20) / 20).toBeLessThan(0.03);
  });

  it('a burst and an outage together: the burst arrives as the outage begins (backlog B + λT)', () => {
    // B = 1,000 and T = 2.5 s at 400/s: 2,000 behind at the restart, fluid 20 s again.
    const r = runDoc(consumerDoc({ rps: 400, serviceTimeMs: 8, workers: 4 }), 17, 1_000_000, {
      async: { eventBurst: 1000, consumerOutageSeconds: 2.5 },
      minReplications: 20,
    });
    expect(consumerOf(r).backlog).toBeGreaterThan(1900);
    expect(inside(2000, r.des.intervals[`${C}.backlog`])).toBe(true);
    expect(inside(19_960, r.des.intervals[`${C}.drainMs`])).toBe(true);
  });
});
