export * from './physical.ts';
