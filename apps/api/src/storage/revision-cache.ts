/**
 * Documents of revisions kept in memory: the JSON text as stored (what loads send as is) and,
 * once someone asks for it, the parsed document. A revision never changes once written (a
 * folded autosave gets a new number; numbers are never reused), so a cached copy is never
 * stale, even with several processes sharing one database. Bounded by the size of the JSON
 * (counted once for the text and once more for a parsed copy). Cached documents are shared:
 * callers must treat them as read-only.
 */
import type { TopologyInput } from '@busboard/core';

interface Entry {
  json: string;
  doc?: TopologyInput;
  size: number;
}

export class RevisionCache {
  #entries = new Map<string, Entry>();
  #size = 0;
  constructor(private readonly budget = 32 * 1024 * 1024) {}

  /** The stored JSON text of a revision, if cached. */
  json(id: string, revision: number): string | undefined {
    return this.#touch(`${revision}:${id}`)?.json;
  }

  /** The parsed document of a revision, if its text is cached (parsed on first use). */
  doc(id: string, revision: number): TopologyInput | undefined {
    const key = `${revision}:${id}`;
    const hit = this.#touch(key);
    if (!hit) return undefined;
    if (!hit.doc) {
      hit.doc = JSON.parse(hit.json) as TopologyInput;
      this.#grow(key, hit, hit.json.length);
    }
    return hit.doc;
  }

  /** Keeps `json` (read from the database) for `revision` (unless it alone exceeds the budget). */
  put(id: string, revision: number, json: string): void {
    if (json.length > this.budget) return;
    const key = `${revision}:${id}`;
    const old = this.#entries.get(key);
    if (old) {
      this.#entries.delete(key);
      this.#size -= old.size;
    }
    this.#grow(key, { json, size: 0 }, json.length);
  }

  /** Parses `json` (read from the database) and keeps both. */
  parse(id: string, revision: number, json: string): TopologyInput {
    this.put(id, revision, json);
    return this.doc(id, revision) ?? (JSON.parse(json) as TopologyInput);
  }

  #touch(key: string): Entry | undefined {
    const hit = this.#entries.get(key);
    if (!hit) return undefined;
    // Most recently used last.
    this.#entries.delete(key);
    this.#entries.set(key, hit);
    return hit;
  }

  #grow(key: string, entry: Entry, by: number): void {
    entry.size += by;
    this.#size += by;
    this.#entries.set(key, entry);
    for (const [k, v] of this.#entries) {
      if (this.#size <= this.budget || k === key) break;
      this.#entries.delete(k);
      this.#size -= v.size;
    }
  }
}
