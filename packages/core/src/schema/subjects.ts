/**
 * NATS subject matching as the server does it: subjects are dot-separated tokens; in a pattern
 * `*` matches exactly one token and a final `>` matches one or more. Used by validation (streams
 * whose subjects overlap, a consumer's filter outside its stream) and by the engine (which
 * streams and subscriptions receive a published subject).
 */

const tokens = (s: string): string[] => s.split('.');

/** Whether the literal `subject` matches `pattern`. */
export function subjectMatches(pattern: string, subject: string): boolean {
  const p = tokens(pattern);
  const s = tokens(subject);
  for (let i = 0; i < p.length; i++) {
    const t = p[i];
    if (t === '>') return i === p.length - 1 && s.length > i;
    if (i >= s.length) return false;
    if (t !== '*' && t !== s[i]) return false;
  }
  return p.length === s.length;
}

/** Whether some literal subject matches both patterns (JetStream refuses streams whose subjects overlap). */
export function subjectsOverlap(a: string, b: string): boolean {
  const x = tokens(a);
  const y = tokens(b);
  for (let i = 0; ; i++) {
    const s = x[i];
    const t = y[i];
    if (s === '>' || t === '>') {
      // `>` needs at least one token from the other side at this position.
      return s !== undefined && t !== undefined;
    }
    if (s === undefined || t === undefined) return s === t;
    if (s !== '*' && t !== '*' && s !== t) return false;
  }
}

/** Whether every subject `inner` matches is matched by `outer` too (a consumer's filter within a stream subject). */
export function subjectWithin(inner: string, outer: string): boolean {
  const x = tokens(inner);
  const y = tokens(outer);
  for (let i = 0; i < y.length; i++) {
    const o = y[i];
    const n = x[i];
    if (o === '>') return n !== undefined;
    if (n === undefined || n === '>') return false;
    if (o === '*') continue;
    if (n === '*' || n !== o) return false;
  }
  return x.length === y.length;
}
