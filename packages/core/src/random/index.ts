export * from './rng.ts';
export * from './sample.ts';
