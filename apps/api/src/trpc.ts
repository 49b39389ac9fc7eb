/**
 * tRPC is initialised once, here. Every error answers in one shape: `error.data.problems`, each
 * problem with its path (core's `Problem`). Expected failures are built in failures.ts and keep
 * their own message; tRPC's own refusals (a bad input, unparsable JSON) get their problems here;
 * unexpected errors keep their details in the server log, not in the response.
 */
import { formatPath, formatProblems, type Problem } from '@busboard/core';
import { initTRPC } from '@trpc/server';
import type { Context } from './context.ts';
import { FailureError } from './failures.ts';

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
    const own = error instanceof FailureError ? error : error.cause instanceof FailureError ? error.cause : undefined;
    const issues = own ? undefined : issueProblems(error.cause);
    let message = shape.message;
    if (own) message = own.message;
    else if (error.code === 'INTERNAL_SERVER_ERROR') message = 'internal error; the server log has the details';
    // V8 quotes a piece of the text it could not parse, which may be a secret: say where, not what.
    else if (error.code === 'PARSE_ERROR' || error.cause instanceof SyntaxError || /is not valid JSON/.test(shape.message)) {
      const at = /position \d+/.exec(shape.message)?.[0];
      message = `the request is not valid JSON${at ? ` (at ${at})` : ''}`;
    } else if (issues?.length) message = formatProblems(issues);
    const problems = own?.problems ?? issues ?? [{ path: '', message }];
    return { ...shape, message, data: { ...shape.data, problems } };
  },
});

export const router = t.router;
export const publicProcedure = t.procedure;
export const createCallerFactory = t.createCallerFactory;
