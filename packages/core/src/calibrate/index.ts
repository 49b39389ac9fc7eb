export * from './calibrate.ts';
export * from './compare.ts';
export * from './estimate.ts';
export * from './import.ts';
export * from './measurements.ts';
export * from './micro.ts';
