/**
 * What a DES result depends on: the document without its layout (positions change no figure)
 * and the what-if. Memoized per document and options object: read on every snapshot.
 */
import type { SimulateOptions, Topology } from '@busboard/core';

const memo = new WeakMap<Topology, WeakMap<SimulateOptions, string>>();

export function crossCheckKey(doc: Topology, options: SimulateOptions): string {
  let byOptions = memo.get(doc);
  if (!byOptions) {
    byOptions = new WeakMap();
    memo.set(doc, byOptions);
  }
  let key = byOptions.get(options);
  if (key === undefined) {
    const { layout: _layout, ...physics } = doc;
    key = JSON.stringify([physics, options.scale ?? 1, [...(options.failZones ?? [])].sort(), options.async ?? null]);
    byOptions.set(options, key);
  }
  return key;
}
