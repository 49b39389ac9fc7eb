/**
 * Erlang's loss formula for any number of servers (schema v2 `maxInFlight`, engine/inflight.ts).
 *
 * B(N, a) = (aᴺ/N!) / Σ_{k≤N} aᵏ/k! is the blocking of an M/G/N/N loss system, and it is
 * *insensitive*: it depends on the holding time only through its mean (Sevastyanov 1957), so a
 * replica holding each request for its whole response — downstream waits included — loses
 * B(maxInFlight, λ·E[response]) whatever the response's distribution. Values (tests):
 * B(1, 1) = 0.5, B(2, 1) = 0.2, B(10, 8) = 0.121661, B(100, 90) = 0.0269574, B(20,000, 19,900) = 0.00288042.
 *
 * The recursion of erlang.ts costs N steps; past 10,000 servers (least-connections pools n·cap)
 * the ratio of a Poisson point to its lower tail, P(X = N)/P(X ≤ N) with X ~ Poisson(a), is
 * computed in log space through the regularised incomplete gamma function: P(X ≤ N) = Q(N + 1, a).
 */
import { erlangB } from './erlang.ts';
import { gammaQ, lnGamma } from './special.ts';

export function lossBlocking(servers: number, a: number): number {
  if (!(a > 0)) return 0;
  if (servers <= 10_000) return erlangB(servers, a);
  const logPoint = servers * Math.log(a) - a - lnGamma(servers + 1);
  const tail = gammaQ(servers + 1, a);
  if (!(tail > 0)) return erlangB(servers, a);
  return Math.min(1, Math.exp(logPoint) / tail);
}
