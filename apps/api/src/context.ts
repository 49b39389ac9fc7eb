import type { LiveRegistry } from './live/registry.ts';
import type { DesignStore } from './storage/types.ts';

export interface Services {
  store: DesignStore;
  /** Cluster connections and their collectors (the Live page, the design overlay). */
  live?: LiveRegistry;
}

export interface Context extends Services {}

export function createContextFactory(services: Services) {
  return (): Context => ({ ...services });
}
