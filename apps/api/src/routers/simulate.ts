import { z } from 'zod';
import { runEngine } from '../engine/run.ts';
import { publicProcedure, router } from '../trpc.ts';

export const simulateRouter = router({
  /**
   * The engine on the server: the same numbers the browser computes, for API clients. Runs on
   * the engine pool under its time and memory budgets, cancelled when the client goes away.
   */
  run: publicProcedure
    .input(z.object({ doc: z.unknown(), scale: z.number().positive().max(1000).optional(), failZones: z.array(z.string()).optional() }))
    .query(({ ctx, input, signal }) => runEngine(ctx, { kind: 'simulate', doc: input.doc, scale: input.scale, failZones: input.failZones }, signal)),
});
