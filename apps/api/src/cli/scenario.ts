/** Flags shared by simulate, check and recommend: --scale X and --fail-zone ZONE (repeatable). */
import type { AsyncWhatIf, Topology } from '@busboard/core';
import { type ParsedArgs, UsageError } from './args.ts';

/** The largest traffic multiplier: with the schema's limits it keeps every load finite. */
export const MAX_SCALE = 1000;

export function scaleFlag(args: ParsedArgs): number {
  const text = args.flags.get('scale')?.at(-1);
  const scale = text === undefined ? 1 : Number(text);
  if (!Number.isFinite(scale) || scale <= 0) throw new UsageError(`--scale must be a positive number, got "${text}"`);
  if (scale > MAX_SCALE)
    throw new UsageError(`--scale ${text}: at most ${MAX_SCALE} (traffic × ${MAX_SCALE} is past any plan; change the design's rps instead)`);
  return scale;
}

export function failZonesFlag(args: ParsedArgs, doc: Topology): string[] {
  const zones = args.flags.get('fail-zone') ?? [];
  const known = new Set(doc.zones.map((z) => z.name));
  for (const z of zones) if (!known.has(z)) throw new UsageError(`--fail-zone ${z}: the design has no such zone (it has ${[...known].join(', ')})`);
  return zones;
}

/** Schema v3 what-ifs: `--event-burst N` (events at once on every stream) and `--consumer-outage SECONDS` (every consumer stopped). */
export function asyncWhatIfFlags(args: ParsedArgs): AsyncWhatIf | undefined {
  const burstText = args.flags.get('event-burst')?.at(-1);
  const outageText = args.flags.get('consumer-outage')?.at(-1);
  if (burstText === undefined && outageText === undefined) return undefined;
  const out: AsyncWhatIf = {};
  if (burstText !== undefined) {
    const n = Number(burstText);
    if (!Number.isInteger(n) || n < 0 || n > 1e15)
      throw new UsageError(`--event-burst must be a whole number of events from 0 to 10^15, got "${burstText}"`);
    out.eventBurst = n;
  }
  if (outageText !== undefined) {
    const t = Number(outageText);
    if (!Number.isFinite(t) || t < 0 || t > 365 * 86_400)
      throw new UsageError(`--consumer-outage must be a number of seconds from 0 to a year (31536000), got "${outageText}"`);
    out.consumerOutageSeconds = t;
  }
  return out;
}

export function fileArg(args: ParsedArgs, command: string): string {
  const file = args.positional[0];
  if (!file) throw new UsageError(`${command} needs a FILE (a YAML/JSON design, - for stdin, or example:<id>)`);
  return file;
}

export const ms = (v: number | null | undefined): string =>
  v === null || v === undefined ? '–' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
