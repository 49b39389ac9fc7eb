/**
 * The topology document, schema `busboard.topology/v1` (MODEL.md §1).
 *
 * One zod definition serves the web app, the API's tRPC inputs, the CLI and the engine.
 * `TopologyInput` is what a user writes; `Topology` is the same document with every
 * default filled in, which is what the engine reads.
 */
import { z } from 'zod';

export const SCHEMA_V1 = 'busboard.topology/v1';
export const CURRENT_SCHEMA = SCHEMA_V1;

const positive = () => z.number().finite().positive();
const nonNegative = () => z.number().finite().nonnegative();
const positiveInt = () => z.number().int().positive();
const nonNegativeInt = () => z.number().int().nonnegative();
const name = () => z.string().trim().min(1, 'must not be empty');

export const Zone = z.object({ name: name(), region: name() });

export const Network = z.object({
  natsHopMs: nonNegative().default(0.13),
  crossZoneMs: nonNegative().default(1.0),
  crossRegionMs: nonNegative().default(30),
  shortCircuitMs: nonNegative().default(0.014),
  dbCallMs: nonNegative().default(0.5),
});

export const NatsCluster = z.object({
  name: name(),
  region: name(),
  serversPerZone: positiveInt().default(1),
  maxMsgsPerSecPerServer: positive().default(1_000_000),
});

export const Call = z.object({
  /** A service name, `db:NAME` or `ext:NAME`. */
  to: name(),
  /** ⌊n⌋ calls plus one more with probability n − ⌊n⌋. */
  perRequest: positive().default(1),
  parallelGroup: name().optional(),
});

export const Cache = z.object({
  scope: z.enum(['distributed', 'perReplica']).default('distributed'),
  entriesPerReplica: positiveInt(),
  keySpace: positiveInt(),
  zipf: nonNegative().default(1),
  hitTimeMs: positive(),
});

export const Service = z.object({
  name: name(),
  serviceTimeMs: positive(),
  serviceTimeCv: nonNegative().default(1),
  workers: positiveInt().default(1),
  calls: z.array(Call).default([]),
  cache: Cache.optional(),
  endpoints: z.array(name()).optional(),
});

export const External = z.object({
  name: name(),
  latencyMs: positive(),
  latencyCv: nonNegative().default(0),
});

export const Autoscale = z.object({
  min: positiveInt(),
  max: positiveInt(),
  targetUtilization: positive().max(1),
});

export const Bundle = z.object({
  name: name(),
  services: z.array(name()),
  /** zone name → replica count in that zone. */
  replicas: z.record(z.string(), nonNegativeInt()),
  cpu: positive().default(1),
  memoryMiB: positive().default(256),
  image: name().optional(),
  autoscale: Autoscale.optional(),
});

export const Shard = z.object({
  name: name(),
  vcpu: positiveInt(),
  maxConnections: positiveInt(),
});

export const Database = z.object({
  name: name(),
  shards: z.array(Shard).min(1, 'a database needs at least one shard'),
  queryTimeMs: positive(),
  queryTimeCv: nonNegative().default(1),
  poolPerReplica: positiveInt().default(10),
});

export const Traffic = z.object({
  entry: name(),
  rps: positive(),
  /** zone name → share; defaults to even over the zones where the entry's bundle runs. */
  zones: z.record(z.string(), positive()).optional(),
});

export const Slo = z.object({
  entry: name(),
  p50Ms: positive().optional(),
  p95Ms: positive().optional(),
  p99Ms: positive().optional(),
});

export const Position = z.object({ x: z.number().finite(), y: z.number().finite() });

export const TopologySchema = z.object({
  schema: z.literal(SCHEMA_V1),
  name: z.string().default(''),
  zones: z.array(Zone).min(1, 'a design needs at least one zone'),
  network: Network.default(Network.parse({})),
  routing: z.enum(['locality', 'random']).default('locality'),
  nats: z.array(NatsCluster).default([]),
  services: z.array(Service).default([]),
  externals: z.array(External).default([]),
  bundles: z.array(Bundle).default([]),
  databases: z.array(Database).default([]),
  traffic: z.array(Traffic).default([]),
  slo: z.array(Slo).default([]),
  layout: z.record(z.string(), Position).optional(),
});

export type Topology = z.output<typeof TopologySchema>;
export type TopologyInput = z.input<typeof TopologySchema>;
export type ZoneT = z.output<typeof Zone>;
export type ServiceT = z.output<typeof Service>;
export type CallT = z.output<typeof Call>;
export type BundleT = z.output<typeof Bundle>;
export type DatabaseT = z.output<typeof Database>;
export type ExternalT = z.output<typeof External>;
export type TrafficT = z.output<typeof Traffic>;
export type SloT = z.output<typeof Slo>;
export type CacheT = z.output<typeof Cache>;
export type NetworkT = z.output<typeof Network>;
export type NatsClusterT = z.output<typeof NatsCluster>;
