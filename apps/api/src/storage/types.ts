/**
 * The design store's contract, shared by the SQLite and PostgreSQL backends. Every write is
 * one transaction: after a crash it is all there, or none of it. Expected failures (a stale
 * revision, an unknown id) are values; only bugs and a broken database throw.
 */
import type { TopologyInput } from '@busboard/core';

export interface DesignSummary {
  id: string;
  name: string;
  /** The latest revision. */
  revision: number;
  createdAt: string;
  updatedAt: string;
  /** Who wrote the latest revision. */
  updatedBy: string;
}

export interface DesignRecord {
  id: string;
  name: string;
  revision: number;
  /** The latest revision of the design (≥ `revision` when an older one was asked for). */
  latestRevision: number;
  /** When this revision was written. */
  updatedAt: string;
  author: string;
  message: string;
  autosave: boolean;
  doc: TopologyInput;
}

export interface RevisionSummary {
  revision: number;
  name: string;
  author: string;
  message: string;
  /** An autosave revision stands for a run of autosaves folded together. */
  autosave: boolean;
  /** How many saves this revision stands for (> 1 for a folded run of autosaves). */
  saves: number;
  /** When the run began (for an explicit save, when it was written). */
  startedAt: string;
  createdAt: string;
}

export interface DeletedDesign {
  id: string;
  name: string;
  revision: number;
  deletedAt: string;
  deletedBy: string;
  /** After this moment the design and its history are purged for good. */
  purgeAfter: string;
}

/** Why a store operation did not happen: each is something the user can act on. */
export type StoreFailure =
  | { reason: 'not-found'; id: string }
  | { reason: 'deleted'; id: string; deletedAt: string }
  | { reason: 'no-revision'; id: string; revision: number; foldedInto?: number }
  | { reason: 'conflict'; id: string; expectedRevision: number; latestRevision: number; latestBy: string; latestAt: string }
  | { reason: 'purged'; id: string }
  | { reason: 'closing' };

export type StoreResult<T> = ({ ok: true } & T) | ({ ok: false } & StoreFailure);

export interface SaveInput {
  /** Absent: a new design. */
  id?: string;
  name: string;
  doc: TopologyInput;
  /** Required with an id: the revision the edit started from. */
  expectedRevision?: number;
  /** Autosaves of one author fold into one revision until an explicit save or `AUTOSAVE_WINDOW_MS`. */
  autosave?: boolean;
  author: string;
  message?: string;
}

export type Saved = { id: string; revision: number };

/** Encrypted records (NATS credentials); the store never sees plaintext. See `src/secrets/`. */
export interface SealedRecord {
  name: string;
  keyId: string;
  /** nonce ‖ ciphertext ‖ tag */
  sealed: Buffer;
  createdAt: string;
  updatedAt: string;
}

export interface SealedTable {
  put(name: string, keyId: string, sealed: Buffer): Promise<void>;
  get(name: string): Promise<SealedRecord | undefined>;
  /** Names and dates only. */
  list(): Promise<Omit<SealedRecord, 'sealed'>[]>;
  remove(name: string): Promise<boolean>;
}

export interface DesignStore {
  readonly backend: 'sqlite' | 'postgres';
  /** Designs not in the trash, latest first. */
  list(): Promise<DesignSummary[]>;
  get(id: string, revision?: number): Promise<StoreResult<{ design: DesignRecord }>>;
  save(input: SaveInput): Promise<StoreResult<Saved>>;
  /** Every revision, newest first. */
  history(id: string): Promise<StoreResult<{ revisions: RevisionSummary[] }>>;
  /** A new revision whose document is that of `revision`: restoring loses nothing. */
  restore(input: { id: string; revision: number; expectedRevision?: number; author: string }): Promise<StoreResult<Saved>>;
  /** Moves a design to the trash; `undelete` brings it back within `RETENTION_MS`. */
  delete(id: string, author: string): Promise<StoreResult<{ purgeAfter: string }>>;
  undelete(id: string): Promise<StoreResult<Saved>>;
  /** Designs in the trash, most recently deleted first. */
  trash(): Promise<DeletedDesign[]>;
  /** Purges designs deleted before `before`; returns how many. */
  purgeDeleted(before: Date): Promise<number>;
  readonly sealed: SealedTable;
  /** True for exactly one caller per key across every process sharing the database (e.g. seeding once). */
  claimOnce(key: string): Promise<boolean>;
  /** Throws when the database cannot answer (for /readyz). */
  ping(): Promise<void>;
  /** Refuses new writes, waits for the ones in flight, then closes. */
  close(): Promise<void>;
}

/** Autosaves fold into one revision for at most this long. */
export const AUTOSAVE_WINDOW_MS = 5 * 60_000;
/** A deleted design can be restored for this long. */
export const RETENTION_MS = 30 * 24 * 3600_000;

export interface StoreOptions {
  now?: () => Date;
}
