import {
  CONNECTION_SORTS,
  calibrate,
  draftDesign,
  failure,
  formatProblem,
  type LiveSnapshotView,
  queryConnections,
  querySubscriptions,
  SUBSCRIPTION_SORTS,
  snapshotView,
} from '@busboard/core';
import { z } from 'zod';
import type { Context } from '../context.ts';
import { documentProblems, refusal, unwrap } from '../failures.ts';
import type { CollectorStatus } from '../live/collector.ts';
import { publicView } from '../live/config.ts';
import { readServers } from '../live/monitor.ts';
import type { LiveRegistry } from '../live/registry.ts';
import { publicProcedure, router } from '../trpc.ts';
import { saveDraft } from './draft.ts';

function registry(ctx: Context): LiveRegistry {
  if (!ctx.live) throw refusal('PRECONDITION_FAILED', 'live connections are not enabled in this server');
  return ctx.live;
}

function collectorOf(ctx: Context, id: string) {
  const c = registry(ctx).collector(id);
  if (!c) throw refusal('NOT_FOUND', `no cluster connection "${id}"; add one on the Live page or in BUSBOARD_NATS_URL`, 'connectionId');
  return c;
}

/** The latest snapshot of a connection, waiting for the first poll when there is none yet. */
async function latest(ctx: Context, id: string) {
  const c = collectorOf(ctx, id);
  if (!c.latest) await c.pollOnce();
  return c;
}

export interface LiveUpdateView {
  connectionId: string;
  status: CollectorStatus;
  snapshot: LiveSnapshotView | null;
}

const connectionId = z.object({ connectionId: z.string().min(1) });
const page = {
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1000).default(50),
  filter: z.string().max(500).optional(),
  dir: z.enum(['asc', 'desc']).default('asc'),
};

export const liveRouter = router({
  /** Servers of a cluster, read from each server's HTTP monitoring port. */
  servers: publicProcedure
    .input(z.object({ monitorUrls: z.array(z.string().trim().min(1)).min(1).max(64), timeoutMs: z.number().int().min(100).max(10_000).optional() }))
    .query(async ({ ctx, input }) => {
      // Only hosts on the outbound allow-list (outbound.ts); credentials in a URL go in a header and never come back.
      const refused = input.monitorUrls.flatMap((u, i) => ctx.outbound?.checkUrl(u, `monitorUrls[${i}]`) ?? []);
      const [first] = refused;
      if (first) throw documentProblems(refused, formatProblem(first));
      return readServers(input.monitorUrls, input.timeoutMs);
    }),

  /** Configured cluster connections, without their credentials. */
  connections: publicProcedure.query(({ ctx }) => registry(ctx).list().map(publicView)),

  /** Adds (or, with an id, replaces) a connection. Bad input comes back as problems, not an error. */
  addConnection: publicProcedure.input(z.object({ id: z.string().optional(), connection: z.unknown() })).mutation(({ ctx, input }) => {
    const res = registry(ctx).add(input.connection, input.id);
    return res.ok ? { ok: true as const, connection: publicView(res.connection) } : res;
  }),

  removeConnection: publicProcedure.input(z.object({ id: z.string() })).mutation(async ({ ctx, input }) => registry(ctx).remove(input.id)),

  /** The newest snapshot (without connections; page them with `connectionsPage`). */
  snapshot: publicProcedure.input(connectionId).query(async ({ ctx, input }): Promise<LiveUpdateView> => {
    const c = await latest(ctx, input.connectionId);
    return { connectionId: input.connectionId, status: c.status, snapshot: c.latest ? snapshotView(c.latest) : null };
  }),

  /** Every poll's snapshot, streamed (server-sent events). */
  watch: publicProcedure.input(connectionId).subscription(async function* ({ ctx, input, signal }) {
    collectorOf(ctx, input.connectionId);
    for await (const u of registry(ctx).watch(input.connectionId, signal)) {
      const view: LiveUpdateView = { connectionId: u.connectionId, status: u.status, snapshot: u.snapshot ? snapshotView(u.snapshot) : null };
      yield view;
    }
  }),

  connectionsPage: publicProcedure
    .input(z.object({ ...connectionId.shape, ...page, server: z.string().optional(), sort: z.enum(CONNECTION_SORTS).default('server') }))
    .query(async ({ ctx, input }) => {
      const c = await latest(ctx, input.connectionId);
      const { connectionId: _, ...q } = input;
      return c.latest ? queryConnections(c.latest, q) : { total: 0, matched: 0, offset: 0, rows: [] };
    }),

  subscriptionsPage: publicProcedure
    .input(z.object({ ...connectionId.shape, ...page, sort: z.enum(SUBSCRIPTION_SORTS).default('subject'), queuedOnly: z.boolean().default(false) }))
    .query(async ({ ctx, input }) => {
      const c = await latest(ctx, input.connectionId);
      const { connectionId: _, ...q } = input;
      return c.latest ? querySubscriptions(c.latest, q) : { total: 0, matched: 0, offset: 0, rows: [] };
    }),

  /** "Import from cluster": drafts a design from the newest snapshot and saves it as a new design. */
  importDesign: publicProcedure
    .input(z.object({ ...connectionId.shape, name: z.string().trim().min(1).max(200).optional() }))
    .mutation(async ({ ctx, input }) => {
      const c = await latest(ctx, input.connectionId);
      if (!c.latest) return failure(c.status.message ?? 'the cluster has not answered yet', 'connectionId');
      if (c.latest.services.length === 0) return failure('no services were seen in this cluster: nothing to import', 'connectionId');
      const { doc, notes } = draftDesign(c.latest, input.name ? { name: input.name } : {});
      const saved = await saveDraft(ctx, doc, 'imported from a live cluster');
      return { ok: true as const, id: saved.id, notes, services: saved.doc.services.length, bundles: saved.doc.bundles.length };
    }),

  /**
   * "Calibrate", as a preview: what the measured entry rates (averaged over the recent polls)
   * and leaf service times would change in a saved design, each change from → to with its
   * reason, and what it refuses to lower and why. Nothing is written: the designer applies the
   * changes as one undoable edit of the open design.
   */
  calibration: publicProcedure.input(z.object({ ...connectionId.shape, designId: z.string() })).query(async ({ ctx, input }) => {
    const rec = unwrap(await ctx.store.get(input.designId)).design;
    const c = await latest(ctx, input.connectionId);
    if (!c.latest) return failure(c.status.message ?? 'the cluster has not answered yet', 'connectionId');
    const { doc: _, command: __, ...preview } = calibrate(rec.doc, c.latest);
    return { ok: true as const, revision: rec.revision, ...preview };
  }),
});
