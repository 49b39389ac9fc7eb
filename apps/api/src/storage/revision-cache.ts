/**
 * Parsed documents of revisions, kept in memory. A revision never changes once written (a
 * folded autosave gets a new number; numbers are never reused), so a cached copy is never
 * stale, even with several processes sharing one database. Bounded by the size of the JSON.
 * Cached documents are shared: callers must treat them as read-only.
 */
import type { TopologyInput } from '@busboard/core';

export class RevisionCache {
  #entries = new Map<string, { doc: TopologyInput; size: number }>();
  #size = 0;
  constructor(private readonly budget = 32 * 1024 * 1024) {}

  get(id: string, revision: number): TopologyInput | undefined {
    const key = `${revision}:${id}`;
    const hit = this.#entries.get(key);
    if (!hit) return undefined;
    // Most recently used last.
    this.#entries.delete(key);
    this.#entries.set(key, hit);
    return hit.doc;
  }

  /** Parses `json` and keeps the result (unless it alone exceeds the budget). */
  parse(id: string, revision: number, json: string): TopologyInput {
    const doc = JSON.parse(json) as TopologyInput;
    if (json.length > this.budget) return doc;
    const key = `${revision}:${id}`;
    const old = this.#entries.get(key);
    if (old) this.#size -= old.size;
    this.#entries.set(key, { doc, size: json.length });
    this.#size += json.length;
    for (const [k, v] of this.#entries) {
      if (this.#size <= this.budget) break;
      this.#entries.delete(k);
      this.#size -= v.size;
    }
    return doc;
  }
}
