import { parseTopology, simulate } from '@busboard/core';
import { z } from 'zod';
import { ProblemsError, publicProcedure, router } from '../trpc.ts';

export const simulateRouter = router({
  /** The engine on the server: the same numbers the browser computes, for API clients. */
  run: publicProcedure
    .input(z.object({ doc: z.unknown(), scale: z.number().positive().optional(), failZones: z.array(z.string()).optional() }))
    .query(({ input }) => {
      const parsed = parseTopology(input.doc);
      if (!parsed.ok) throw new ProblemsError(parsed.problems);
      return simulate(parsed.doc, { scale: input.scale, failZones: input.failZones });
    }),
});
