/** @busboard/core: the topology model and the physics. Pure TypeScript (no DOM, no node:*). */

export * from './cache/index.ts';
export * as lattice from './distribution/index.ts';
export * from './edit/index.ts';
export * from './engine/index.ts';
export * from './examples/index.ts';
export * from './export/index.ts';
export * from './generate/index.ts';
export * from './queue/index.ts';
export * from './random/index.ts';
export * from './schema/index.ts';
