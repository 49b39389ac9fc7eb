/**
 * busboard.topology/v1 → v2. v2 adds bounded queues (`services[].queueLimit`, `rejectWith`)
 * and rejection budgets (`slo[].maxRejectionRate`); every v1 field keeps its name and its
 * meaning, and a v1 service has no queue limit, which in v2 is written by leaving
 * `queueLimit` out (unbounded). So a v1 document becomes the same document under the v2 name.
 *
 * A v1 document that already holds a v2 field (written by hand ahead of time; v1 refused it as
 * an unknown field) keeps it: the v2 reading is what its author meant. Pure: the input is
 * never changed, the result shares no object with it.
 *
 * The shape of `Migration` (migrations.ts) is written out here rather than imported, so the
 * list can import this file without the two importing each other.
 */
import { SCHEMA_V1, SCHEMA_V2 } from './topology.ts';

export const v1ToV2 = {
  from: SCHEMA_V1,
  to: SCHEMA_V2,
  up(doc: Record<string, unknown>): Record<string, unknown> {
    // Documents are JSON data: a JSON round trip copies them whole (undefined members drop, as on a save).
    const copy = JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
    return { ...copy, schema: SCHEMA_V2 };
  },
};
