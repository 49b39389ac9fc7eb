/** tRPC is initialised once, here. Problems attached to an error travel in `data.problems`. */
import type { Problem } from '@busboard/core';
import { initTRPC, TRPCError } from '@trpc/server';
import type { Context } from './context.ts';

export class ProblemsError extends TRPCError {
  constructor(
    public readonly problems: Problem[],
    message = 'the design has problems',
  ) {
    super({ code: 'BAD_REQUEST', message });
  }
}

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    const problems = error instanceof ProblemsError ? error.problems : error.cause instanceof ProblemsError ? error.cause.problems : undefined;
    return { ...shape, data: { ...shape.data, problems } };
  },
});

export const router = t.router;
export const publicProcedure = t.procedure;
export const createCallerFactory = t.createCallerFactory;
