/** What the two "import" procedures (from a live cluster, from Prometheus) share: checking a drafted design and saving it as a new design. */
import { parseTopology, type Topology, type TopologyInput } from '@busboard/core';
import type { Context } from '../context.ts';
import { documentProblems, unwrap } from '../failures.ts';

/**
 * Saves a drafted design as a new design (revision 1), after the same validation as any save.
 * A draft with problems is a bug in the drafting, refused with its problems rather than stored.
 */
export async function saveDraft(ctx: Context, doc: TopologyInput, message: string): Promise<{ id: string; doc: Topology }> {
  const parsed = parseTopology(doc);
  if (!parsed.ok) throw documentProblems(parsed.problems, 'the drafted design has problems');
  const { id } = unwrap(await ctx.store.save({ name: doc.name ?? 'Imported', doc, author: ctx.author ?? 'anonymous', message }));
  return { id, doc: parsed.doc };
}
