export * from './load.ts';
export * from './simulate.ts';
export * from './types.ts';
