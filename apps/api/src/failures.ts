/**
 * The one place where expected failures (values returned by the stores and the validators)
 * become TRPCErrors. Each message says what happened and what to do; the failure itself
 * travels to the client in `error.data.failure` so the web app can act on it (e.g. offer
 * reload or save-as-copy on a conflict).
 */
import { TRPCError } from '@trpc/server';
import type { EngineFailure } from './engine/pool.ts';
import type { StoreFailure, StoreResult } from './storage/types.ts';

export class FailureError extends TRPCError {
  constructor(public readonly failure: StoreFailure) {
    super({ code: codeOf(failure), message: describeFailure(failure) });
  }
}

function codeOf(f: StoreFailure): TRPCError['code'] {
  switch (f.reason) {
    case 'conflict':
      return 'CONFLICT';
    case 'closing':
      return 'SERVICE_UNAVAILABLE';
    default:
      return 'NOT_FOUND';
  }
}

export function describeFailure(f: StoreFailure): string {
  switch (f.reason) {
    case 'not-found':
      return `no design "${f.id}"`;
    case 'deleted':
      return `design "${f.id}" was deleted at ${f.deletedAt}; restore it from the trash to change it`;
    case 'purged':
      return `design "${f.id}" was deleted more than 30 days ago and is gone`;
    case 'no-revision':
      return f.foldedInto
        ? `revision ${f.revision} of design "${f.id}" was an autosave folded into revision ${f.foldedInto}`
        : `design "${f.id}" has no revision ${f.revision}`;
    case 'conflict':
      return `design was changed elsewhere: revision ${f.latestRevision} (by ${f.latestBy} at ${f.latestAt}) is newer than ${f.expectedRevision}; reload it, or save your version as a copy`;
    case 'closing':
      return 'the server is shutting down; try again in a moment';
  }
}

/** The value of a successful result; a failure becomes its TRPCError. */
export function unwrap<T>(result: StoreResult<T>): T {
  if (result.ok) return result;
  throw new FailureError(result);
}

/** A computation that met the engine pool's budget (or found it busy): the failure travels in `error.data.failure`. */
export class EngineFailureError extends TRPCError {
  constructor(public readonly failure: EngineFailure) {
    super({ code: engineCodeOf(failure), message: failure.message });
  }
}

function engineCodeOf(f: EngineFailure): TRPCError['code'] {
  switch (f.reason) {
    case 'time-budget':
    case 'memory-budget':
      // Not 408: browsers may repeat a request answered 408, which would run it again.
      return 'UNPROCESSABLE_CONTENT';
    case 'busy':
      return 'TOO_MANY_REQUESTS';
    case 'cancelled':
      return 'CLIENT_CLOSED_REQUEST';
    case 'failed':
      return 'INTERNAL_SERVER_ERROR';
  }
}
