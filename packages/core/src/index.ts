/**
 * @busboard/core: the topology model and the physics. Pure TypeScript (no DOM, no node:*).
 * The manifest builders live at `@busboard/core/export` (they carry Kubernetes schemas the
 * rest of the app does not need up front).
 */

export * from './cache/index.ts';
export * from './calibrate/index.ts';
export * from './des/index.ts';
export * as lattice from './distribution/index.ts';
export * from './edit/index.ts';
export * from './engine/index.ts';
export * from './examples/index.ts';
export * from './generate/index.ts';
export * from './live/index.ts';
export * from './queue/index.ts';
export * from './random/index.ts';
export * from './rehearse/index.ts';
export * from './schema/index.ts';
export * from './view/index.ts';
