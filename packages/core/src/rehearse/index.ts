export * from './compare.ts';
export * from './histogram.ts';
export * from './plan.ts';
export * from './reports.ts';
export * from './summarize.ts';
