/** Flags shared by simulate, check and recommend: --scale X and --fail-zone ZONE (repeatable). */
import type { Topology } from '@busboard/core';
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

export function fileArg(args: ParsedArgs, command: string): string {
  const file = args.positional[0];
  if (!file) throw new UsageError(`${command} needs a FILE (a YAML/JSON design, - for stdin, or example:<id>)`);
  return file;
}

export const ms = (v: number | null | undefined): string =>
  v === null || v === undefined ? '–' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
