import { EXAMPLES } from '@busboard/core';
import type { DesignStore } from './types.ts';

/** On first start (an empty store, trash included) the bundled example designs are saved as designs. */
export async function seedExamples(store: DesignStore): Promise<number> {
  // Claimed first, so that API processes starting together against one database seed once.
  if (!(await store.claimOnce('seed-examples'))) return 0;
  if ((await store.list()).length > 0 || (await store.trash()).length > 0) return 0;
  for (const ex of EXAMPLES) {
    const saved = await store.save({ name: ex.title, doc: ex.doc, author: 'busboard', message: 'bundled example' });
    if (!saved.ok) throw new Error(`could not seed example ${ex.id}: ${saved.reason}`);
  }
  return EXAMPLES.length;
}
