/**
 * Document migrations: an ordered list, each taking a document of schema `from` to `to`.
 * v1 was the first published version; v1 → v2 (`v1-to-v2.ts`) and v2 → v3 (`v2-to-v3.ts`) are the production steps.
 * The mechanism is also tested with a test-only migration (v0) and fixtures of old versions
 * (`fixtures/`), and a test fails if a migration in this list has no fixture.
 */

import type { Problem } from '../problems.ts';
import { CURRENT_SCHEMA } from './topology.ts';
import { v1ToV2 } from './v1-to-v2.ts';
import { v2ToV3 } from './v2-to-v3.ts';

export interface Migration {
  from: string;
  to: string;
  /** Pure: returns a new object, never mutates its input. */
  up(doc: Record<string, unknown>): Record<string, unknown>;
}

export const MIGRATIONS: readonly Migration[] = [v1ToV2, v2ToV3];

export type MigrateResult = { ok: true; doc: Record<string, unknown>; applied: string[] } | { ok: false; problems: Problem[] };

/** Applies migrations in order until the document reaches `target`. */
export function migrate(doc: Record<string, unknown>, migrations: readonly Migration[] = MIGRATIONS, target: string = CURRENT_SCHEMA): MigrateResult {
  let cur = doc;
  const applied: string[] = [];
  const known = new Set([target, ...migrations.map((m) => m.from)]);
  for (let guard = 0; guard <= migrations.length; guard++) {
    const version = cur.schema;
    if (version === target) return { ok: true, doc: cur, applied };
    if (typeof version !== 'string') {
      return { ok: false, problems: [{ path: 'schema', message: `required: the document must say its schema, e.g. "schema": "${target}"` }] };
    }
    const step = migrations.find((m) => m.from === version);
    if (!step) {
      const list = [...known].map((v) => `"${v}"`).join(', ');
      return { ok: false, problems: [{ path: 'schema', message: `unknown schema "${version}"; this version of Busboard reads ${list}` }] };
    }
    cur = step.up(cur);
    applied.push(`${step.from} → ${step.to}`);
  }
  return { ok: false, problems: [{ path: 'schema', message: 'migrations do not converge (a loop in the migration list)' }] };
}
