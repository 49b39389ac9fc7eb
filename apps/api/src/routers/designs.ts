import { parseTopology, type TopologyInput } from '@busboard/core';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { ProblemsError, publicProcedure, router } from '../trpc.ts';

export const designsRouter = router({
  list: publicProcedure.query(({ ctx }) => ctx.store.list()),

  get: publicProcedure.input(z.object({ id: z.string(), revision: z.number().int().positive().optional() })).query(({ ctx, input }) => {
    const rec = ctx.store.get(input.id, input.revision);
    if (!rec) throw new TRPCError({ code: 'NOT_FOUND', message: `no design "${input.id}"${input.revision ? ` at revision ${input.revision}` : ''}` });
    return rec;
  }),

  save: publicProcedure
    .input(
      z
        .object({
          id: z.string().optional(),
          name: z.string().trim().min(1).max(200),
          doc: z.unknown(),
          expectedRevision: z.number().int().positive().optional(),
        })
        .refine((v) => v.id === undefined || v.expectedRevision !== undefined, {
          message: 'expectedRevision is required when id is given',
          path: ['expectedRevision'],
        }),
    )
    .mutation(({ ctx, input }) => {
      const parsed = parseTopology(input.doc);
      if (!parsed.ok) throw new ProblemsError(parsed.problems);
      const result = ctx.store.save({ id: input.id, name: input.name, doc: input.doc as TopologyInput, expectedRevision: input.expectedRevision });
      if (result.ok) return { id: result.id, revision: result.revision };
      if (result.reason === 'conflict') {
        throw new TRPCError({
          code: 'CONFLICT',
          message: `design was changed elsewhere: revision ${result.latestRevision} is newer than ${input.expectedRevision}`,
        });
      }
      throw new TRPCError({ code: 'NOT_FOUND', message: `no design "${input.id}"` });
    }),
});
