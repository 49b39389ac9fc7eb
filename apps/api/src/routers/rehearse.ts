/**
 * Rehearsals from the designer: whether they can run here, start one (the design as the editor
 * holds it, with the what-if), stream its progress and report (server-sent events), stop it.
 */
import { parseTopology } from '@busboard/core';
import { z } from 'zod';
import type { Context } from '../context.ts';
import { runEngine } from '../engine/run.ts';
import { documentProblems, refusal } from '../failures.ts';
import type { RehearsalManager } from '../rehearse/manager.ts';
import { publicProcedure, router } from '../trpc.ts';

function manager(ctx: Context): RehearsalManager {
  if (!ctx.rehearsals) throw refusal('PRECONDITION_FAILED', 'rehearsals are not enabled in this server');
  return ctx.rehearsals;
}

const runId = z.object({ runId: z.string().min(1).max(100) });

export const rehearseRouter = router({
  /** Can this server rehearse (is nats-server installed), and what runs now. */
  status: publicProcedure.query(({ ctx }) => {
    const m = manager(ctx);
    return { ...m.availability(), running: m.running() };
  }),

  start: publicProcedure
    .input(
      z.object({
        doc: z.unknown(),
        durationS: z.number().int().min(5).max(600).default(60),
        dilation: z.number().min(1).max(100).default(10),
        scale: z.number().positive().max(100).default(1),
        failZones: z.array(z.string().max(200)).max(64).default([]),
      }),
    )
    .mutation(async ({ ctx, input, signal }) => {
      const parsed = parseTopology(input.doc);
      if (!parsed.ok) throw documentProblems(parsed.problems);
      // The prediction first, on the engine pool under its budgets: a design too costly to compute is refused before anything starts.
      const predicted = await runEngine(ctx, { kind: 'simulate', doc: input.doc, scale: input.scale, failZones: input.failZones }, signal);
      const started = manager(ctx).start(parsed.doc, {
        durationS: input.durationS,
        dilation: input.dilation,
        scale: input.scale,
        failZones: input.failZones,
        predicted,
      });
      return started.ok ? { ok: true as const, runId: started.run.id } : started;
    }),

  /** The run's state at every change, ending with its report (or why it failed). */
  watch: publicProcedure.input(runId).subscription(async function* ({ ctx, input, signal }) {
    const m = manager(ctx);
    if (!m.get(input.runId)) throw refusal('NOT_FOUND', `no rehearsal ${input.runId} (the server keeps the last five)`, 'runId');
    for await (const run of m.watch(input.runId, signal)) yield run;
  }),

  stop: publicProcedure.input(runId).mutation(({ ctx, input }) => ({ stopped: manager(ctx).stop(input.runId) })),
});
