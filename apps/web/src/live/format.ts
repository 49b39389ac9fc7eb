/** Number formats for live figures: short, with units, and a dash for "unknown". */

export function fmtRate(x: number | null | undefined, unit = '/s'): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  if (x === 0) return `0${unit}`;
  if (x >= 1e6) return `${(x / 1e6).toFixed(1)}M${unit}`;
  if (x >= 1e4) return `${(x / 1e3).toFixed(0)}k${unit}`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(1)}k${unit}`;
  if (x >= 100) return `${x.toFixed(0)}${unit}`;
  if (x >= 10) return `${x.toFixed(1)}${unit}`;
  return `${x.toFixed(2)}${unit}`;
}

export function fmtMs(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  if (x >= 1000) return `${(x / 1000).toFixed(2)} s`;
  if (x >= 10) return `${x.toFixed(0)} ms`;
  if (x >= 1) return `${x.toFixed(1)} ms`;
  return `${(x * 1000).toFixed(0)} µs`;
}

export function fmtBytes(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = x;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 || i === 0 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

export function fmtCount(x: number | null | undefined): string {
  if (x === null || x === undefined) return '–';
  return x.toLocaleString('en-US');
}

export function fmtAgo(at: number | null | undefined, now: number): string {
  if (!at) return 'never';
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  return `${Math.round(s / 3600)} h ago`;
}
