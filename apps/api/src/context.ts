import type { DesignStore } from './storage/types.ts';

export interface Services {
  store: DesignStore;
}

export interface Context extends Services {}

export function createContextFactory(services: Services) {
  return (): Context => ({ ...services });
}
