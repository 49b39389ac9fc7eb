/** @busboard/core: the topology model and the physics. Pure TypeScript (no DOM, no node:*). */

export * from './edit/index.ts';
export * from './engine/index.ts';
export * from './examples/index.ts';
export * from './export/index.ts';
export * from './schema/index.ts';
export * from './view/index.ts';
