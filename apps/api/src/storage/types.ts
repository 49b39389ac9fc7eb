import type { TopologyInput } from '@busboard/core';

export interface DesignSummary {
  id: string;
  name: string;
  revision: number;
  updatedAt: string;
}

export interface DesignRecord extends DesignSummary {
  doc: TopologyInput;
}

export type SaveResult =
  | { ok: true; id: string; revision: number }
  | { ok: false; reason: 'conflict'; latestRevision: number }
  | { ok: false; reason: 'not-found' };

/** Persistence of designs. Every save is atomic: it is all there after a crash, or none of it. */
export interface DesignStore {
  list(): DesignSummary[];
  get(id: string, revision?: number): DesignRecord | undefined;
  /** Saves a new revision; with an id, only when `expectedRevision` is the latest. */
  save(input: { id?: string; name: string; doc: TopologyInput; expectedRevision?: number }): SaveResult;
  close(): void;
}
