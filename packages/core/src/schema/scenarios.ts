/**
 * Schema v3's named scenarios (issue 20): a design holds a base (the document itself) and
 * variants. A variant is a change set on the base (`changes`, applied in order) and a what-if
 * (`whatIf`: traffic scale, failed zones, an event burst or consumer outage, a minute of the
 * traffic profile). Every field is optional but the name, so every v3 document stays valid.
 * core/src/scenario/ applies them; its README says how a change's `path` reads.
 */
import { z } from 'zod';
import { LIMITS } from './limits.ts';

const name = () => z.string().trim().min(1, 'must not be empty');

/**
 * One change: `path` is a JSON Pointer (RFC 6901, `~1` for '/', `~0` for '~') whose second
 * segment names an item of a named list instead of indexing it: `/bundles/sessions`,
 * `/services/sessions.example/bundle`, `/consumers/ORDERS~1fulfil`, `/traffic/checkout.example`
 * (traffic and SLOs by entry, `entry#class` when they name a class), `/layout/svc:cart.example`.
 * `add` appends a new item (or sets a field); `replace` swaps what is there; `remove` deletes it.
 */
export const ScenarioChange = z.strictObject({
  op: z.enum(['add', 'replace', 'remove'], { message: 'op: add, replace or remove' }),
  path: z.string().regex(/^\/[^/]/, 'a path such as /bundles/sessions or /services/cart.example/bundle'),
  /** The new item or value (add, replace); absent for remove. */
  value: z.unknown().optional(),
});

/** A variant's what-if: the same knobs as the Results panel's what-ifs. */
export const ScenarioWhatIf = z.strictObject({
  /** Traffic multiplier (absent: 1). */
  scale: z.number().finite().positive('a multiple of the traffic: more than 0').max(LIMITS.profileFactor, 'at most 1,000× the traffic').optional(),
  /** Zones down in this scenario. */
  failZones: z.array(name()).optional(),
  /** A burst of this many events on every stream (schema v3 async). */
  eventBurst: z.number().finite().nonnegative().optional(),
  /** Every consumer stops for this many seconds (schema v3 async). */
  consumerOutageSeconds: z.number().finite().nonnegative().optional(),
  /** The traffic at this minute of the day of each item's profile (absent: `rps` as written). */
  atMinute: z.number().finite().min(0, 'a minute of the day: 0 to 1440').max(1440, 'a minute of the day: 0 to 1440').optional(),
});

export const Scenario = z.strictObject({
  /** Unique among the scenarios; `base` names the document itself and cannot be used. */
  name: name(),
  description: z.string().optional(),
  /** The change set, applied in order to the base document. */
  changes: z.array(ScenarioChange).default([]),
  whatIf: ScenarioWhatIf.optional(),
});

export type ScenarioT = z.output<typeof Scenario>;
export type ScenarioChangeT = z.output<typeof ScenarioChange>;
export type ScenarioWhatIfT = z.output<typeof ScenarioWhatIf>;
