/** The price book a document is costed with: its preset, and the document's own figures on top. */
import type { CostPresetName, PriceBookT } from '../schema/cost.ts';
import type { Topology } from '../schema/topology.ts';
import { DEFAULT_PRESET, PRICE_PRESETS, presetNotice } from './presets.ts';
import type { ResolvedPrices } from './types.ts';

const FIGURES = [
  'currency',
  'vcpuHour',
  'gibHour',
  'natsServerHour',
  'dbVcpuHour',
  'storageGBMonth',
  'crossZonePerGB',
  'crossRegionPerGB',
  'requestBytes',
  'responseBytes',
] as const;

/**
 * The prices of `doc.cost`: `preset` (absent: `aws-us-east-1`, DEFAULT_PRESET) fills what the
 * document leaves out. `preset` given here stands in for the document's `cost.preset` (the CLI's
 * `--preset`); the document's own figures still win over it.
 */
export function resolvePrices(cost: PriceBookT | undefined, preset?: CostPresetName): ResolvedPrices {
  const name = preset ?? cost?.preset ?? DEFAULT_PRESET;
  const p = PRICE_PRESETS[name];
  const overridden = FIGURES.filter((k) => cost?.[k] !== undefined);
  return {
    preset: name,
    presetLabel: p.label,
    asOf: p.asOf,
    notice: presetNotice(p),
    source: p.source,
    currency: cost?.currency ?? p.currency,
    vcpuHour: cost?.vcpuHour ?? p.vcpuHour,
    gibHour: cost?.gibHour ?? p.gibHour,
    natsServerHour: cost?.natsServerHour ?? p.natsServerHour,
    dbVcpuHour: cost?.dbVcpuHour ?? null,
    storageGBMonth: cost?.storageGBMonth ?? p.storageGBMonth,
    crossZonePerGB: cost?.crossZonePerGB ?? p.crossZonePerGB,
    crossRegionPerGB: cost?.crossRegionPerGB ?? p.crossRegionPerGB,
    requestBytes: cost?.requestBytes ?? p.requestBytes,
    responseBytes: cost?.responseBytes ?? p.responseBytes,
    overridden: [...overridden],
  };
}

/** The prices of a parsed document. */
export function pricesOf(doc: Topology, preset?: CostPresetName): ResolvedPrices {
  return resolvePrices(doc.cost, preset);
}

/** A figure in a formula: up to six significant digits, thousands separated. */
export function figure(x: number): string {
  return x.toLocaleString('en-US', { maximumSignificantDigits: 6 });
}

/** An amount of money: `$12.34` in USD, `12.34 EUR` otherwise; unit prices keep their digits (`$0.03125`). */
export function money(x: number, currency: string, unitPrice = false): string {
  const v = unitPrice ? figure(x) : x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return currency === 'USD' ? `$${v}` : `${v} ${currency}`;
}
