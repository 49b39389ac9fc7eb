/** Figures in words for the canvas and the panels: rates, milliseconds, bytes (binary units, as JetStream reports them), durations, counts. */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

export function formatBytes(bytes: number): string {
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 100 || u === 0 ? v.toFixed(0) : v.toFixed(1)} ${UNITS[u]}`;
}

/** Seconds in the unit that reads best: 850 ms, 8.3 s, 12 min, 6.0 h, 3.2 d. */
export function formatDuration(seconds: number): string {
  if (seconds < 1) return `${(seconds * 1000).toFixed(0)} ms`;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  if (seconds < 3600) return `${(seconds / 60).toFixed(0)} min`;
  if (seconds < 86_400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}

/** A count of messages: 850, 12k, 1.2M. */
export function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(n >= 1e4 ? 0 : 1)}k`;
  return n >= 10 ? n.toFixed(0) : n.toFixed(1);
}

export function formatRate(rps: number): string {
  if (rps >= 10_000) return `${(rps / 1000).toFixed(0)}k`;
  if (rps >= 1000) return `${(rps / 1000).toFixed(1)}k`;
  return rps >= 100 ? rps.toFixed(0) : rps.toFixed(1);
}

/** Milliseconds for badges: "—" when the engine has no figure (saturated, not computed). */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}
