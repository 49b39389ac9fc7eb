export * from './codec.ts';
export * from './limits.ts';
export * from './migrations.ts';
export * from './names.ts';
export * from './topology.ts';
export * from './validate.ts';
