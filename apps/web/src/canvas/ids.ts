/**
 * Every id the canvas gives a node or an edge, built and read here and nowhere else (as
 * xyflow keeps its `NodeChange` vocabulary in one file). Entity ids are the document's layout
 * keys (core's `layoutKey`): `svc:cart.example`, `bundle:shop`, `db:orders`, `ext:processor`,
 * `zone:us-east-1a`, `stream:ORDERS`, `consumer:ORDERS/fulfil`. The canvas adds its own: replica sets `rs:<bundle>@<zone>`, NATS servers
 * `natsrv:…`, calls `call:<from>#<index>` and zone flows `flow:<from>-><to>`.
 *
 * A name may hold ':' or '@' (the schema decides what names are), so readers split at the
 * first ':' after a known prefix and at the last '@' / '#', which names never hold.
 */
import { consumerRefName, type EntityKind, type EntityRef, layoutKey, parseLayoutKey, splitConsumerRef } from '@busboard/core';

export type { EntityKind, EntityRef };

/** The id of a named entity of the document (a node, or a lane for zones). */
export function entityId(kind: EntityKind, name: string): string {
  return layoutKey({ kind, name });
}

export const serviceId = (name: string): string => entityId('service', name);
export const bundleId = (name: string): string => entityId('bundle', name);
export const databaseId = (name: string): string => entityId('database', name);
export const externalId = (name: string): string => entityId('external', name);
export const zoneId = (name: string): string => entityId('zone', name);
export const streamId = (name: string): string => entityId('stream', name);
/** A consumer is named within its stream: `consumer:<stream>/<name>`. */
export const consumerId = (stream: string, name: string): string => entityId('consumer', consumerRefName(stream, name));

/** The stream and name behind a consumer id, or null for ids of other kinds. */
export function consumerOf(id: string): { stream: string; name: string } | null {
  const ref = nameOf('consumer', id);
  return ref === null ? null : splitConsumerRef(ref);
}

/**
 * Event edges (schema v3), drawn apart from calls: a publish into a stream
 * `ev:<service>#<index>>stream:<name>`, a core-NATS fan-out to a subscription
 * `ev:<publisher>>sub:<subscriber>#<index>`, a stream feeding a consumer and a consumer
 * handing to its service (`ev:feed:…`, `ev:run:…`).
 */
export const publishEdgeId = (service: string, index: number, stream: string): string => `ev:${service}#${index}>${streamId(stream)}`;
export const fanOutEdgeId = (publisher: string, subscriber: string, index: number): string => `ev:${publisher}>sub:${subscriber}#${index}`;
export const feedEdgeId = (stream: string, consumer: string): string => `ev:feed:${consumerId(stream, consumer)}`;
export const runEdgeId = (stream: string, consumer: string): string => `ev:run:${consumerId(stream, consumer)}`;
export const isEventEdgeId = (id: string): boolean => id.startsWith('ev:');

/** The entity an id names, or null for ids that name none (calls, replica sets, flows). */
export function parseEntityId(id: string): EntityRef | null {
  return parseLayoutKey(id);
}

/** The name behind an id of that kind, or null when the id is of another kind. */
export function nameOf(kind: EntityKind, id: string): string | null {
  const ref = parseLayoutKey(id);
  return ref?.kind === kind ? ref.name : null;
}

export const serviceOf = (id: string): string | null => nameOf('service', id);
export const bundleOf = (id: string): string | null => nameOf('bundle', id);

/**
 * The node a call's `to` points at: databases and externals are already written as ids in the
 * document (`db:orders`, `ext:processor`, MODEL.md §2); any other target is a service.
 */
export function callTargetId(to: string): string {
  const ref = parseLayoutKey(to);
  return ref && (ref.kind === 'database' || ref.kind === 'external') ? to : serviceId(to);
}

/** What a connection dropped on a node means as a call's `to` (the inverse of `callTargetId`). */
export function callTargetOf(nodeId: string): string {
  return serviceOf(nodeId) ?? nodeId;
}

/** Call ids on the canvas: `call:<from>#<index>` (a service name never holds '#'). */
export function callId(from: string, index: number): string {
  return `call:${from}#${index}`;
}

export function parseCallId(id: string): { from: string; index: number } | null {
  if (!id.startsWith('call:')) return null;
  const hash = id.lastIndexOf('#');
  if (hash < 0) return null;
  return { from: id.slice('call:'.length, hash), index: Number(id.slice(hash + 1)) };
}

/** A bundle's replicas in one zone on the physical canvas. */
export function replicaSetId(bundle: string, zone: string): string {
  return `rs:${bundle}@${zone}`;
}

export function parseReplicaSetId(id: string): { bundle: string; zone: string } | null {
  if (!id.startsWith('rs:')) return null;
  const at = id.lastIndexOf('@');
  if (at < 0) return null;
  return { bundle: id.slice('rs:'.length, at), zone: id.slice(at + 1) };
}

/** A NATS server on the physical canvas. */
export function natsServerId(name: string): string {
  return `natsrv:${name}`;
}

export const isNatsServerId = (id: string): boolean => id.startsWith('natsrv:');

/** Traffic from one zone to another on the physical canvas. */
export function flowId(from: string, to: string): string {
  return `flow:${from}->${to}`;
}

/**
 * What selecting a canvas id selects in the document: a replica set selects its bundle, a
 * NATS server nothing, anything else itself.
 */
export function selectionOf(id: string): string | null {
  const rs = parseReplicaSetId(id);
  if (rs) return bundleId(rs.bundle);
  if (isNatsServerId(id)) return null;
  return id;
}

/**
 * The node a bottleneck names: results call a database shard `db:<name>/<shard>` and a service
 * by its name.
 */
export function bottleneckNodeId(bottleneck: string): string {
  // A bundle's CPU: `cpu:<bundle>/<zone>` (zone names hold no '/').
  if (bottleneck.startsWith('cpu:')) return bundleId(bottleneck.slice('cpu:'.length, bottleneck.lastIndexOf('/')));
  const ref = parseLayoutKey(bottleneck);
  if (ref?.kind === 'database') return databaseId(ref.name.split('/')[0] ?? ref.name);
  return serviceId(bottleneck);
}

/** Whether a bottleneck is this database (any of its shards). */
export function isBottleneckOfDatabase(bottleneck: string | null | undefined, database: string): boolean {
  return bottleneck?.startsWith(`${databaseId(database)}/`) ?? false;
}
