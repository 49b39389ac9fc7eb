/**
 * tRPC is initialised once, here. Expected failures travel to the client as data: document
 * problems in `data.problems` (each with its path), store failures in `data.failure`.
 * Unexpected errors keep their details in the server log, not in the response.
 */
import { formatPath, formatProblem, type Problem } from '@busboard/core';
import { initTRPC, TRPCError } from '@trpc/server';
import type { Context } from './context.ts';
import { EngineFailureError, FailureError } from './failures.ts';

export class ProblemsError extends TRPCError {
  constructor(
    public readonly problems: Problem[],
    message = 'the design has problems',
  ) {
    super({ code: 'BAD_REQUEST', message });
  }
}

interface SchemaIssue {
  message: string;
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
  params?: { problem?: Problem };
}

/** Input validation issues as problems: a document's own problems keep their document path. */
function issueProblems(cause: unknown): Problem[] | undefined {
  const issues = (cause as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues)) return undefined;
  return (issues as SchemaIssue[]).map(
    (i) => i.params?.problem ?? { path: formatPath((i.path ?? []).map((s) => (typeof s === 'object' ? s.key : s))), message: i.message },
  );
}

const t = initTRPC.context<Context>().create({
  isDev: false,
  errorFormatter({ shape, error }) {
    const problems =
      error instanceof ProblemsError ? error.problems : error.cause instanceof ProblemsError ? error.cause.problems : issueProblems(error.cause);
    const failure = error instanceof FailureError || error instanceof EngineFailureError ? error.failure : undefined;
    let message = shape.message;
    if (error.code === 'INTERNAL_SERVER_ERROR' && !(error instanceof EngineFailureError)) message = 'internal error; the server log has the details';
    // V8 quotes a piece of the text it could not parse, which may be a secret: say where, not what.
    else if (error.code === 'PARSE_ERROR' || error.cause instanceof SyntaxError || /is not valid JSON/.test(shape.message)) {
      const at = /position \d+/.exec(shape.message)?.[0];
      message = `the request is not valid JSON${at ? ` (at ${at})` : ''}`;
    } else if (problems?.[0] && !(error instanceof ProblemsError)) {
      message = `${formatProblem(problems[0])}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`;
    }
    return { ...shape, message, data: { ...shape.data, problems, failure } };
  },
});

export const router = t.router;
export const publicProcedure = t.procedure;
export const createCallerFactory = t.createCallerFactory;
