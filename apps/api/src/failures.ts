/**
 * The one place where an expected failure becomes an HTTP answer. Every failure has one shape,
 * core's `{ ok: false, problems }` (packages/core/src/problems.ts): a procedure either returns
 * it as its value (a refusal the caller acts on: "nothing to import yet") or throws it from here
 * as a `FailureError`, which tRPC answers with the HTTP status of its code and the problems in
 * `error.data.problems` (trpc.ts). Nothing else in the API constructs a TRPCError (the house
 * test checks), and the bodies refused before tRPC sees a request (http/guard.ts, server.ts)
 * are built here in the same shape.
 *
 * Each problem names where: a document path (`services[3].calls[0].to`), the input field a
 * refusal is about (`id`, `expectedRevision`, `monitorUrls[1]`), or `''` for the request as a
 * whole. Each message says what happened and what to do.
 */
import { failure, formatProblems, type Problem } from '@busboard/core';
import { TRPCError } from '@trpc/server';
import type { EngineFailure } from './engine/pool.ts';
import type { StoreFailure, StoreResult } from './storage/types.ts';

export type FailureCode = TRPCError['code'];

/** An expected failure thrown out of a procedure: its code picks the HTTP status; its problems travel in `error.data.problems`. */
export class FailureError extends TRPCError {
  constructor(
    code: FailureCode,
    public readonly problems: Problem[],
    message: string = formatProblems(problems),
  ) {
    super({ code, message });
  }
}

/** A refusal of one problem: `message` about `path` (`''`: the request as a whole); the error's message is the sentence alone. */
export function refusal(code: FailureCode, message: string, path = ''): FailureError {
  return new FailureError(code, failure(message, path).problems, message);
}

/** A document (or an input) with problems: 400, every problem with its path. */
export function documentProblems(problems: Problem[], message = 'the design has problems'): FailureError {
  return new FailureError('BAD_REQUEST', problems, message);
}

/** The server meant to do it and could not (500); `message` is written for the user, the detail goes to the server log. */
export function internalFailure(message: string): FailureError {
  return refusal('INTERNAL_SERVER_ERROR', message);
}

// ---- store failures (storage/decide.ts decides them; here they get their words and status)

function storeCode(f: StoreFailure): FailureCode {
  switch (f.reason) {
    case 'conflict':
      return 'CONFLICT';
    case 'closing':
      return 'SERVICE_UNAVAILABLE';
    default:
      return 'NOT_FOUND';
  }
}

/** The input field a store failure is about. */
function storePath(f: StoreFailure): string {
  switch (f.reason) {
    case 'conflict':
      return 'expectedRevision';
    case 'no-revision':
      return 'revision';
    case 'closing':
      return '';
    default:
      return 'id';
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

/** A store failure as the one shape. */
export function storeProblems(f: StoreFailure): Problem[] {
  return failure(describeFailure(f), storePath(f)).problems;
}

/** The value of a successful store result; a failure is thrown with its code (404, 409, 503). */
export function unwrap<T>(result: StoreResult<T>): T {
  if (result.ok) return result;
  throw new FailureError(storeCode(result), storeProblems(result), describeFailure(result));
}

// ---- engine failures (the pool's time and memory budgets, engine/pool.ts)

function engineCode(f: EngineFailure): FailureCode {
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

/** A computation that met the engine pool's budget (or found it busy); its message says which budget and how to raise it. */
export function engineFailure(f: EngineFailure): FailureError {
  return refusal(engineCode(f), f.message);
}

// ---- answers built outside tRPC (http/guard.ts, server.ts) in the same shape

/**
 * A body the tRPC client reads as an error for every call of a batch, with the problem in
 * `error.data.problems` as a procedure's own failures carry it.
 */
export function trpcErrorBody(code: FailureCode, httpStatus: number, jsonRpcCode: number, message: string, path = '') {
  return { error: { message, code: jsonRpcCode, data: { code, httpStatus, problems: failure(message, path).problems } } };
}
