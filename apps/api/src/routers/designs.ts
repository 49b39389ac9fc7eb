/**
 * Designs with history. Inputs are zod schemas; a document is checked by core's own schema and
 * cross-checks (`parseTopology`), so every refusal lists each problem with its path inside the
 * document. Store failures are values turned into TRPCErrors by `unwrap` (src/failures.ts).
 */
import { checkTopology, migrate, type TopologyInput } from '@busboard/core';
import { z } from 'zod';
import { unwrap } from '../failures.ts';
import { diffDesigns } from '../storage/diff.ts';
import { publicProcedure, router } from '../trpc.ts';

/**
 * A topology document, validated by core (`checkTopology`: the problems `parseTopology` would
 * report, found without building the parsed copy we do not keep). Each problem becomes an issue
 * carrying the problem itself, so the error formatter reports `services[3].calls[0].to`, not
 * `doc.services…`.
 */
export const DesignDocument = z.unknown().transform((doc, ctx): TopologyInput => {
  const problems = checkTopology(doc);
  if (problems.length) {
    for (const problem of problems) ctx.addIssue({ code: 'custom', message: problem.message, params: { problem } });
    return z.NEVER;
  }
  // The document as written (defaults not filled in), so it reads back the way it was saved; an
  // older schema's document is stored as its migration to the current one (saves write the current version).
  const migrated = migrate(doc as Record<string, unknown>);
  return (migrated.ok ? migrated.doc : doc) as TopologyInput;
});

const DesignId = z.string().trim().min(1, 'must not be empty').max(100);
const Revision = z.number().int().positive();
const DesignName = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

export const SaveInput = z
  .object({
    id: DesignId.optional(),
    name: DesignName,
    doc: DesignDocument,
    expectedRevision: Revision.optional(),
    /** Autosaves fold into one revision until the next explicit save or a few minutes pass. */
    autosave: z.boolean().optional(),
    message: z.string().trim().max(500, 'must be at most 500 characters').optional(),
  })
  .refine((v) => v.id === undefined || v.expectedRevision !== undefined, {
    message: 'required when id is given: the revision your edit started from',
    path: ['expectedRevision'],
  });

export const designsRouter = router({
  /** Designs not in the trash, most recently changed first. */
  list: publicProcedure.query(({ ctx }) => ctx.store.list()),

  /**
   * The latest revision, or the one asked for. Over HTTP the document goes out as the stored
   * JSON text, never parsed and serialised again (see src/http/raw-json.ts).
   */
  get: publicProcedure.input(z.object({ id: DesignId, revision: Revision.optional() })).query(async ({ ctx, input }) => {
    if (!ctx.raw) return unwrap(await ctx.store.get(input.id, input.revision)).design;
    const { docJson, ...meta } = unwrap(await ctx.store.getJson(input.id, input.revision)).design;
    return { ...meta, doc: ctx.raw.embed<TopologyInput>(docJson) };
  }),

  /** A new revision (or a new design without `id`); `CONFLICT` when `expectedRevision` is not the latest. */
  save: publicProcedure.input(SaveInput).mutation(async ({ ctx, input }) => {
    const { id, revision } = unwrap(await ctx.store.save({ ...input, author: ctx.author ?? 'anonymous' }));
    return { id, revision };
  }),

  /** Every revision, newest first: who, when, message, and whether it stands for a run of autosaves. */
  history: publicProcedure.input(z.object({ id: DesignId })).query(async ({ ctx, input }) => unwrap(await ctx.store.history(input.id)).revisions),

  /** Makes an old revision the latest again, as a new revision: nothing is lost. */
  restore: publicProcedure
    .input(z.object({ id: DesignId, revision: Revision, expectedRevision: Revision.optional() }))
    .mutation(async ({ ctx, input }) => {
      const { id, revision } = unwrap(await ctx.store.restore({ ...input, author: ctx.author ?? 'anonymous' }));
      return { id, revision };
    }),

  /** What changed from revision `from` to revision `to` (default: the latest). */
  diff: publicProcedure.input(z.object({ id: DesignId, from: Revision, to: Revision.optional() })).query(async ({ ctx, input }) => {
    const before = unwrap(await ctx.store.get(input.id, input.from)).design;
    const after = unwrap(await ctx.store.get(input.id, input.to)).design;
    return { from: before.revision, to: after.revision, ...diffDesigns(before.doc, after.doc) };
  }),

  /** Moves a design to the trash; it can be restored for 30 days. */
  delete: publicProcedure.input(z.object({ id: DesignId })).mutation(async ({ ctx, input }) => {
    const { purgeAfter } = unwrap(await ctx.store.delete(input.id, ctx.author ?? 'anonymous'));
    return { id: input.id, purgeAfter };
  }),

  /** Designs in the trash, with when they will be purged. */
  trash: publicProcedure.query(({ ctx }) => ctx.store.trash()),

  /** Brings a design back from the trash. */
  undelete: publicProcedure.input(z.object({ id: DesignId })).mutation(async ({ ctx, input }) => {
    const { id, revision } = unwrap(await ctx.store.undelete(input.id));
    return { id, revision };
  }),
});
