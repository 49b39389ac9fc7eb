/** The parts of a document as a user writes them (defaults not yet filled in). */
import type { TopologyInput } from '../schema/topology.ts';

type Item<T> = T extends ReadonlyArray<infer U> ? U : never;

export type ServiceIn = Item<NonNullable<TopologyInput['services']>>;
export type CallIn = Item<NonNullable<ServiceIn['calls']>>;
export type BundleIn = Item<NonNullable<TopologyInput['bundles']>>;
export type ZoneIn = Item<NonNullable<TopologyInput['zones']>>;
export type DatabaseIn = Item<NonNullable<TopologyInput['databases']>>;
export type ExternalIn = Item<NonNullable<TopologyInput['externals']>>;
export type NatsIn = Item<NonNullable<TopologyInput['nats']>>;
export type TrafficIn = Item<NonNullable<TopologyInput['traffic']>>;
export type SloIn = Item<NonNullable<TopologyInput['slo']>>;
export type NetworkIn = NonNullable<TopologyInput['network']>;
export type StreamIn = Item<NonNullable<TopologyInput['streams']>>;
export type ConsumerIn = Item<NonNullable<TopologyInput['consumers']>>;
export type PublishIn = Item<NonNullable<ServiceIn['publishes']>>;
export type SubscriptionIn = Item<NonNullable<ServiceIn['subscribes']>>;
export interface XY {
  x: number;
  y: number;
}

/** The kinds of named things a document holds. */
export type EntityKind = 'service' | 'bundle' | 'zone' | 'database' | 'external' | 'nats' | 'stream' | 'consumer';

export interface EntityRef {
  kind: EntityKind;
  name: string;
}

const PREFIX: Record<EntityKind, string> = {
  service: 'svc',
  bundle: 'bundle',
  zone: 'zone',
  database: 'db',
  external: 'ext',
  nats: 'nats',
  stream: 'stream',
  consumer: 'consumer',
};

/**
 * The id of an entity on the canvas and in the document's `layout`: `svc:cart.example`,
 * `bundle:shop`, `db:orders`, `ext:processor`, `zone:us-east-1a`, `nats:main`. Call targets
 * already use the `db:`/`ext:` forms. Streams are `stream:ORDERS`; a consumer is named within its
 * stream, so its ref's name is `<stream>/<consumer>` (`consumer:ORDERS/fulfil`; JetStream names
 * hold no '/').
 */
export function layoutKey(ref: EntityRef): string {
  return `${PREFIX[ref.kind]}:${ref.name}`;
}

/** The inverse of `layoutKey`; null for ids that name no entity (edges, lanes). */
export function parseLayoutKey(id: string): EntityRef | null {
  const at = id.indexOf(':');
  if (at < 0) return null;
  const prefix = id.slice(0, at);
  const kind = (Object.keys(PREFIX) as EntityKind[]).find((k) => PREFIX[k] === prefix);
  return kind ? { kind, name: id.slice(at + 1) } : null;
}

/** A consumer's entity name: `<stream>/<consumer>` (consumer names are unique within a stream only). */
export function consumerRefName(stream: string, name: string): string {
  return `${stream}/${name}`;
}

/** The inverse of `consumerRefName`; null when the name holds no '/'. */
export function splitConsumerRef(refName: string): { stream: string; name: string } | null {
  const at = refName.indexOf('/');
  return at < 0 ? null : { stream: refName.slice(0, at), name: refName.slice(at + 1) };
}
