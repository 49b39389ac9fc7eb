/**
 * Lenient readers for the cross-checks (validate.ts, validate-async.ts, validate-over-time.ts):
 * they read the raw input without trusting its shape, so a document with structural problems
 * still gets its reference problems listed.
 */

export type Loose = Record<string, unknown>;
export type Add = (path: string, message: string) => void;

export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const isObj = (v: unknown): v is Loose => v !== null && typeof v === 'object' && !Array.isArray(v);
export const obj = (v: unknown): Loose => (isObj(v) ? v : {});
/** `obj(v)[key]` without making an empty object for a value that is not one. */
export const field = (v: unknown, key: string): unknown => (isObj(v) ? v[key] : undefined);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v.trim() : undefined);

/** A count past one of Busboard's limits (limits.ts). */
export function tooMany(n: number, max: number, path: string, what: string, add: Add): void {
  if (n > max)
    add(path, `${n.toLocaleString('en-US')} ${what}; at most ${max.toLocaleString('en-US')}: Busboard's limit (README "Limits"); split the design`);
}
