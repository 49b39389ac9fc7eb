/**
 * Prometheus: where it is (credentials stay here), the design's figures beside what it
 * measured with the calibration those measurements suggest (a preview: the browser applies it
 * as one undoable edit), and a whole design drafted from it.
 */
import { failure, importFromMeasurements, parseTopology, withMicroStats } from '@busboard/core';
import { z } from 'zod';
import type { Context } from '../context.ts';
import { runEngine } from '../engine/run.ts';
import { documentProblems, refusal } from '../failures.ts';
import { readMeasurements } from '../prometheus/read.ts';
import type { PrometheusSources } from '../prometheus/source.ts';
import { publicProcedure, router } from '../trpc.ts';
import { saveDraft } from './draft.ts';

function sources(ctx: Context): PrometheusSources {
  if (!ctx.prometheus) throw refusal('PRECONDITION_FAILED', 'Prometheus is not enabled in this server');
  return ctx.prometheus;
}

const reading = {
  windowS: z.number().int().min(10).max(86_400).default(300),
  /** A rehearsal's dilation, to read its metrics in design time; 1 for a real deployment. */
  timeScale: z.number().min(1).max(1000).default(1),
  plane: z
    .string()
    .regex(/^[A-Za-z0-9]*$/)
    .max(100)
    .optional(),
  /** A live connection whose instances give zones. */
  connectionId: z.string().max(200).optional(),
  /** The window's end, Unix seconds (default now): e.g. a finished rehearsal's. */
  at: z.number().positive().optional(),
};

async function measure(
  ctx: Context,
  input: { windowS: number; timeScale: number; plane?: string | undefined; connectionId?: string | undefined; at?: number | undefined },
) {
  const source = sources(ctx).get();
  if (!source) return failure('no Prometheus configured: set BUSBOARD_PROMETHEUS_URL, or add it on the Live page');
  const zones: Record<string, string> = {};
  const snapshot = input.connectionId ? ctx.live?.collector(input.connectionId)?.latest : null;
  for (const s of snapshot?.services ?? []) for (const i of s.instances) if (i.zone) zones[i.id] = i.zone;
  const read = await readMeasurements(source, {
    windowS: input.windowS,
    timeScale: input.timeScale,
    ...(input.plane ? { plane: input.plane } : {}),
    ...(input.at ? { at: input.at } : {}),
    instanceZones: zones,
  });
  // NATS micro services the cluster shows ($SRV.STATS) fill in what Prometheus does not know.
  return read.ok
    ? { ok: true as const, measurements: withMicroStats(read.measurements, snapshot ?? null), snapshot: snapshot ?? null }
    : failure(read.problem);
}

export const prometheusRouter = router({
  source: publicProcedure.query(({ ctx }) => sources(ctx).view()),

  setSource: publicProcedure.input(z.object({ source: z.unknown() })).mutation(async ({ ctx, input }) => sources(ctx).set(input.source)),

  clearSource: publicProcedure.mutation(async ({ ctx }) => {
    await sources(ctx).clear();
    return sources(ctx).view();
  }),

  /** Predicted beside measured, and the calibration preview. */
  compare: publicProcedure.input(z.object({ doc: z.unknown(), ...reading })).mutation(async ({ ctx, input, signal }) => {
    const parsed = parseTopology(input.doc);
    if (!parsed.ok) throw documentProblems(parsed.problems);
    const got = await measure(ctx, input);
    if (!got.ok) return got;
    // The engine on the pool, under its budgets (src/engine/pool.ts).
    const compared = await runEngine(ctx, { kind: 'compare', doc: input.doc, measurements: got.measurements }, signal);
    return { ok: true as const, windowS: input.windowS, rows: compared.rows, calibration: compared.calibration };
  }),

  /** "Import from Prometheus": drafts a design and saves it as a new design. */
  importDesign: publicProcedure
    .input(z.object({ ...reading, name: z.string().trim().min(1).max(200).optional() }))
    .mutation(async ({ ctx, input }) => {
      const got = await measure(ctx, input);
      if (!got.ok) return got;
      const { doc, notes } = importFromMeasurements(got.measurements, got.snapshot, input.name);
      const saved = await saveDraft(ctx, doc, 'imported from Prometheus');
      return { ok: true as const, id: saved.id, notes, services: saved.doc.services.length };
    }),
});
