/**
 * An empty map from user-given names (services, bundles, zones…) to values, as a plain object
 * for JSON results but with no prototype: a name like `constructor` or `__proto__` is an
 * ordinary key in it, never an inherited one (issue 21: a service named `__proto__` vanished
 * from results built on `{}`).
 */
export function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
