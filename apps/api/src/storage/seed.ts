import { EXAMPLES } from '@busboard/core';
import type { DesignStore } from './types.ts';

/** On first start (an empty store) the bundled example designs are saved as designs. */
export function seedExamples(store: DesignStore): number {
  if (store.list().length > 0) return 0;
  for (const ex of EXAMPLES) store.save({ name: ex.title, doc: ex.doc });
  return EXAMPLES.length;
}
