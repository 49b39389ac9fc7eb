export * from './histogram.ts';
export * from './microbus.ts';
export * from './query.ts';
export * from './raw.ts';
export * from './snapshot.ts';
export * from './types.ts';
export { parseDurationMs, zoneFromTags, zoneKey } from './units.ts';
