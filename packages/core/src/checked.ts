/**
 * A checked read for arrays and typed arrays under `noUncheckedIndexedAccess`: `at(xs, i)` is
 * `xs[i]` typed as the element, and throws when nothing is there, where `xs[i] as number`
 * would carry `undefined` on as NaN (or 0 once stored in a typed array). An index out of bounds
 * is a bug, never a user's mistake, so it throws rather than returning a failure value.
 *
 * For arrays whose elements are never `undefined` (every typed array; the tables of the DES plan).
 * Not for the DES event loop (des/sim.ts says why): there it costs half the speed.
 */
export function at<T>(xs: ArrayLike<T>, i: number): T {
  const v = xs[i];
  if (v === undefined) throw new RangeError(`index ${i} is outside 0…${xs.length - 1}`);
  return v;
}

/** `map.get(key)` for a key that must be there (a name the document's validation has already resolved). */
export function lookup<K, V>(map: ReadonlyMap<K, V>, key: K): V {
  const v = map.get(key);
  if (v === undefined) throw new RangeError(`no entry for ${String(key)}`);
  return v;
}
