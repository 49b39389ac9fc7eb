/** Fresh names: the one rule every added thing follows. */

/** `base`, or `base-2`, `base-3`, … (before the first dot for hostnames: `svc-2.example`). */
export function uniqueName(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  const dot = base.indexOf('.');
  const head = dot < 0 ? base : base.slice(0, dot);
  const tail = dot < 0 ? '' : base.slice(dot);
  for (let i = 2; ; i++) {
    const name = `${head}-${i}${tail}`;
    if (!used.has(name)) return name;
  }
}
