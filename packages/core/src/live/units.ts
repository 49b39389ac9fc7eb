/**
 * Small readers for nats-server's formats: Go duration strings (`"224µs"`, `"2.43ms"`,
 * `"1m3.5s"`) and zone tags.
 */

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(ns|us|µs|μs|ms|s|m|h)/g;
const SINGLE = /^(\d+(?:\.\d+)?)(ns|us|µs|μs|ms|s|m|h)$/;

/** A Go `time.Duration` string in milliseconds, or null when it is not one. */
export function parseDurationMs(text: string | undefined | null): number | null {
  if (!text) return null;
  const t = text.trim();
  if (t === '0' || t === '0s') return 0;
  // RTTs are one unit ("224µs", "2.43ms"): one anchored match instead of a global scan.
  const one = SINGLE.exec(t);
  if (one) return Number(one[1]) * (UNIT_MS[one[2] as string] ?? 0);
  let total = 0;
  let matched = 0;
  for (const m of t.matchAll(PART)) {
    total += Number(m[1]) * (UNIT_MS[m[2] as string] ?? 0);
    matched += m[0].length;
  }
  return matched === t.length && matched > 0 ? total : null;
}

/** The zone in a server's tags: `az:<zone>` or `zone:<zone>` (MODEL.md §4), else null. */
export function zoneFromTags(tags: readonly string[] | undefined | null): string | null {
  for (const prefix of ['az:', 'zone:']) {
    const tag = tags?.find((t) => t.toLowerCase().startsWith(prefix));
    if (tag) return tag.slice(prefix.length).trim() || null;
  }
  return null;
}

/** A round-trip time in ms; nats-server reports `0s` before it has measured one, which is "unknown", not zero. */
export function parseRttMs(text: string | undefined | null): number | null {
  const ms = parseDurationMs(text);
  return ms === null || ms <= 0 ? null : ms;
}

/** Zone names compared loosely: `us-east-1a`, `us-east-1-a` and `US_EAST_1A` are one zone. */
export function zoneKey(zone: string): string {
  return zone.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Per-second rate from two counter readings; null when there is no earlier reading or the counter went back (a restart). */
export function rate(now: number | undefined, before: number | undefined, intervalMs: number | null): number | null {
  if (now === undefined || before === undefined || !intervalMs || intervalMs <= 0) return null;
  const delta = now - before;
  return delta < 0 ? null : (delta * 1000) / intervalMs;
}
