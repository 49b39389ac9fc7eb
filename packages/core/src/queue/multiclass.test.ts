import { describe, expect, it } from 'vitest';
import { boundedQueue } from './bounded.ts';
import { multiClassChain, priorityMMc } from './multiclass.ts';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('multi-class replica (queue/multiclass.ts)', () => {
  it('the chain of partitioned classes is each class its own M/M/cap/(cap+N) (closed form)', () => {
    // c 4, classes capped at 2 and 2, lines 3 and 5; λ 0.3 and 0.1 per ms, own time 10 ms.
    const r = multiClassChain(
      4,
      10,
      8,
      [
        { lambda: 0.3, cap: 2, queueLimit: 3, priority: 0 },
        { lambda: 0.1, cap: 2, queueLimit: 5, priority: 0 },
      ],
      100_000,
    );
    expect(r?.method).toBe('chain');
    const a = boundedQueue(0.3, 2, 3, 10, 1, true);
    const b = boundedQueue(0.1, 2, 5, 10, 1, true);
    const [ra, rb] = r?.classes ?? [];
    expect(rel(ra?.block as number, a.block)).toBeLessThan(1e-9);
    expect(rel(ra?.Wq as number, a.Wq)).toBeLessThan(1e-9);
    expect(rel(rb?.block as number, b.block)).toBeLessThan(1e-9);
    expect(rel(rb?.Wq as number, b.Wq)).toBeLessThan(1e-9);
    expect(rel(rb?.C as number, b.C)).toBeLessThan(1e-9);
  });

  it('one class through the chain is M/M/c/K', () => {
    const r = multiClassChain(3, 10, 6, [{ lambda: 0.35, cap: 3, queueLimit: Infinity, priority: 0 }], 100_000);
    const q = boundedQueue(0.35, 3, 6, 10, 1, true);
    expect(rel(r?.classes[0]?.block as number, q.block)).toBeLessThan(1e-9);
    expect(rel(r?.classes[0]?.Wq as number, q.Wq)).toBeLessThan(1e-9);
  });

  it('priority M/M/c with long lines agrees with Cobham’s closed form', () => {
    // M/M/2, μ 0.1 per ms, λ_high 0.06, λ_low 0.08 (ρ 0.7); Erlang C(2, 1.4) = 0.576471.
    const classes = [
      { lambda: 0.06, cap: 2, queueLimit: Infinity, priority: 1 },
      { lambda: 0.08, cap: 2, queueLimit: Infinity, priority: 0 },
    ];
    const cob = priorityMMc(2, 10, classes);
    // R = C/(cμ) = 0.576471 / 0.2 = 2.882353; W_high = R/(1 − 0.3) = 4.117647; W_low = R/((0.7)(0.3)) = 13.72549.
    expect(cob.classes[0]?.Wq).toBeCloseTo(4.117647, 5);
    expect(cob.classes[1]?.Wq).toBeCloseTo(13.72549, 4);
    const chain = multiClassChain(2, 10, 60, classes, 200_000);
    expect(rel(chain?.classes[0]?.Wq as number, cob.classes[0]?.Wq as number)).toBeLessThan(1e-3);
    expect(rel(chain?.classes[1]?.Wq as number, cob.classes[1]?.Wq as number)).toBeLessThan(1e-3);
    expect(chain?.orderExact).toBe(true);
  });

  it('flags random order between classes of equal priority sharing the workers', () => {
    const r = multiClassChain(
      2,
      10,
      4,
      [
        { lambda: 0.1, cap: 2, queueLimit: 2, priority: 0 },
        { lambda: 0.1, cap: 2, queueLimit: 2, priority: 0 },
      ],
      10_000,
    );
    expect(r?.orderExact).toBe(false);
  });

  it('gives up (null) past the state budget', () => {
    expect(
      multiClassChain(
        50,
        10,
        1000,
        [
          { lambda: 1, cap: 50, queueLimit: 1000, priority: 0 },
          { lambda: 1, cap: 50, queueLimit: 1000, priority: 1 },
        ],
        1000,
      ),
    ).toBeNull();
  });
});
