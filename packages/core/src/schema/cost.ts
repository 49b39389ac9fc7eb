/**
 * Schema v3's optional price book (issue 20): `cost` names a preset of on-demand list prices and
 * overrides any of its figures. Absent (or a field absent): the preset's figure, and without a
 * preset `aws-us-east-1` (core/src/cost/presets.ts holds the presets, their date and source).
 */
import { z } from 'zod';

/** The presets a price book may start from (cost/presets.ts). */
export const COST_PRESETS = ['aws-us-east-1', 'gcp-us-central1', 'azure-eastus'] as const;
export type CostPresetName = (typeof COST_PRESETS)[number];

const MAX_PRICE = 1_000_000;
const price = (unit: string) =>
  z
    .number()
    .finite()
    .nonnegative(`a price ${unit}: 0 or more`)
    .max(MAX_PRICE, `at most ${MAX_PRICE.toLocaleString('en-US')} ${unit}: a larger price is almost surely a typo`);
/** NATS's max_payload can be raised to 64 MiB; a call's request or response is no larger. */
const MAX_BYTES = 64 * 1024 * 1024;
const bytes = () =>
  z.number().finite().nonnegative('bytes: 0 or more').max(MAX_BYTES, 'at most 67,108,864 bytes (64 MiB, NATS’s largest max_payload)');

export const PriceBook = z.strictObject({
  /** The preset whose figures fill every field left out (absent: aws-us-east-1). */
  preset: z.enum(COST_PRESETS, { message: `a preset: ${COST_PRESETS.join(', ')} (or leave it out: aws-us-east-1)` }).optional(),
  /** A three-letter code shown beside every figure (the presets' is USD). */
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'a three-letter currency code in capitals (USD, EUR, GBP)')
    .optional(),
  /** One vCPU (a bundle replica's `cpu`) for an hour. */
  vcpuHour: price('per vCPU-hour').optional(),
  /** One GiB of memory (a bundle replica's `memoryMiB` / 1024) for an hour. */
  gibHour: price('per GiB-hour').optional(),
  /** One NATS server (the machine it runs on) for an hour. */
  natsServerHour: price('per server-hour').optional(),
  /** One database shard vCPU for an hour; absent: shards are not priced (a managed database's bill differs too much). */
  dbVcpuHour: price('per shard vCPU-hour').optional(),
  /** One GB (10⁹ bytes) of JetStream storage for a month (a block volume). */
  storageGBMonth: price('per GB-month').optional(),
  /** One GB crossing between zones of one region (both sides' charges together). */
  crossZonePerGB: price('per GB').optional(),
  /** One GB crossing between regions. */
  crossRegionPerGB: price('per GB').optional(),
  /** Bytes of one call's request on the wire (headers and body), for pricing cross-zone calls. */
  requestBytes: bytes().optional(),
  /** Bytes of one call's response on the wire. */
  responseBytes: bytes().optional(),
});

export type PriceBookT = z.output<typeof PriceBook>;
