/**
 * busboard.topology/v2 → v3. v3 adds async messaging (`services[].publishes`, `subscribes`,
 * `streams[]`, `consumers[]`); every v2 field keeps its name and meaning, and a v2 design has
 * no events, which v3 writes by leaving those fields out. So a v2 document becomes the same
 * document under the v3 name. Pure: the input is never changed, the result shares no object with it.
 *
 * The shape of `Migration` (migrations.ts) is written out here rather than imported, so the
 * list can import this file without the two importing each other.
 */
import { SCHEMA_V2, SCHEMA_V3 } from './topology.ts';

export const v2ToV3 = {
  from: SCHEMA_V2,
  to: SCHEMA_V3,
  up(doc: Record<string, unknown>): Record<string, unknown> {
    const copy = JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
    return { ...copy, schema: SCHEMA_V3 };
  },
};
