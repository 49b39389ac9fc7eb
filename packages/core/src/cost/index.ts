export { type CostOptions, designCost } from './cost.ts';
export { BYTES_PER_GB, DEFAULT_PRESET, HOURS_PER_MONTH, PRICE_PRESETS, type PricePreset, presetNotice } from './presets.ts';
export { figure, money, pricesOf, resolvePrices } from './prices.ts';
export type { CostBreakdown, CostKind, CostLine, CostOverTime, CostTotals, ResolvedPrices } from './types.ts';
