import { z } from 'zod';
import { readServers } from '../live/monitor.ts';
import { publicProcedure, router } from '../trpc.ts';

export const liveRouter = router({
  /** Servers of a cluster, read from each server's HTTP monitoring port. */
  servers: publicProcedure
    .input(z.object({ monitorUrls: z.array(z.string().trim().min(1)).min(1).max(64), timeoutMs: z.number().int().min(100).max(10_000).optional() }))
    .query(async ({ input }) => readServers(input.monitorUrls, input.timeoutMs)),
});
