export * from './codec.ts';
export * from './migrations.ts';
export * from './topology.ts';
export * from './validate.ts';
