/**
 * Renames and removals that keep every reference whole. Each kind of entity is referred to
 * from known places (MODEL.md §1): services from calls, bundles, traffic, SLOs; databases and
 * externals from calls (`db:NAME`, `ext:NAME`); zones from replica maps and traffic shares;
 * everything from `layout`; over time (schema v3), bundles from `autoscalePolicies[].bundles`
 * and zones from `timeline[]` events.
 */
import type { TopologyInput } from '../schema/topology.ts';
import {
  removeConsumer,
  removeServiceFromAsync,
  removeStream,
  renameConsumer,
  renameNatsInAsync,
  renameServiceInAsync,
  renameStream,
} from './async-references.ts';
import { dropKey, dropLayout, renameKey } from './records.ts';
import { type BundleIn, type EntityRef, layoutKey, type ServiceIn } from './types.ts';

const LIST = { service: 'services', bundle: 'bundles', zone: 'zones', database: 'databases', external: 'externals', nats: 'nats' } as const;

/** What a call's `to` says for a reference, or null when calls cannot point at that kind. */
function callTarget(ref: EntityRef): string | null {
  if (ref.kind === 'service') return ref.name;
  if (ref.kind === 'database') return `db:${ref.name}`;
  if (ref.kind === 'external') return `ext:${ref.name}`;
  return null;
}

function mapCalls(services: ServiceIn[] | undefined, fn: (calls: NonNullable<ServiceIn['calls']>) => NonNullable<ServiceIn['calls']>) {
  return services?.map((s) => {
    if (!s.calls?.length) return s;
    const calls = fn(s.calls);
    return calls === s.calls ? s : { ...s, calls };
  });
}

/**
 * Renames an entity and every reference to it; the same document when nothing matches. A
 * name already taken yields a document the schema refuses ("duplicate service …"): the editor
 * shows that problem and does not commit.
 */
export function renameEntity(doc: TopologyInput, ref: EntityRef, to: string): TopologyInput {
  if (ref.kind === 'stream') return renameStream(doc, ref.name, to);
  if (ref.kind === 'consumer') return renameConsumer(doc, ref.name, to);
  const name = to.trim();
  const list = (doc[LIST[ref.kind]] ?? []) as Array<{ name: string }>;
  if (name === ref.name || !list.some((it) => it.name === ref.name)) return doc;
  const next: TopologyInput = { ...doc, [LIST[ref.kind]]: list.map((it) => (it.name === ref.name ? { ...it, name } : it)) };

  const fromTarget = callTarget(ref);
  const toTarget = callTarget({ kind: ref.kind, name });
  if (fromTarget && toTarget) {
    next.services = mapCalls(next.services, (calls) =>
      calls.some((c) => c.to === fromTarget) ? calls.map((c) => (c.to === fromTarget ? { ...c, to: toTarget } : c)) : calls,
    );
  }
  if (ref.kind === 'service') {
    next.bundles = next.bundles?.map((b) =>
      b.services.includes(ref.name) ? { ...b, services: b.services.map((s) => (s === ref.name ? name : s)) } : b,
    );
    next.traffic = next.traffic?.map((t) => (t.entry === ref.name ? { ...t, entry: name } : t));
    next.slo = next.slo?.map((s) => (s.entry === ref.name ? { ...s, entry: name } : s));
    Object.assign(next, renameServiceInAsync(next, ref.name, name));
  }
  if (ref.kind === 'nats') Object.assign(next, renameNatsInAsync(next, ref.name, name));
  if (ref.kind === 'zone') {
    next.bundles = next.bundles?.map((b) => {
      const replicas = renameKey(b.replicas, ref.name, name);
      return replicas === b.replicas ? b : { ...b, replicas: replicas as BundleIn['replicas'] };
    });
    next.traffic = next.traffic?.map((t) => {
      const zones = renameKey(t.zones, ref.name, name);
      return zones === t.zones ? t : { ...t, zones };
    });
    next.timeline = next.timeline?.map((e) =>
      e.failZone === ref.name ? { ...e, failZone: name } : e.restoreZone === ref.name ? { ...e, restoreZone: name } : e,
    );
  }
  if (ref.kind === 'bundle' && next.autoscalePolicies) {
    next.autoscalePolicies = next.autoscalePolicies.map((p) => {
      const bundles = renameKey(p.bundles, ref.name, name);
      return bundles === p.bundles ? p : { ...p, bundles: bundles ?? {} };
    });
  }
  if (next.layout) next.layout = renameKey(next.layout, layoutKey(ref), layoutKey({ kind: ref.kind, name }));
  return next;
}

/**
 * Removes an entity and every reference to it: calls to a removed service, database or
 * external; traffic and SLOs of a removed service; a removed zone's replica counts and
 * traffic shares. A removed bundle takes its services with it.
 */
export function removeEntity(doc: TopologyInput, ref: EntityRef): TopologyInput {
  if (ref.kind === 'stream') return removeStream(doc, ref.name);
  if (ref.kind === 'consumer') return removeConsumer(doc, ref.name);
  const list = (doc[LIST[ref.kind]] ?? []) as Array<{ name: string }>;
  if (!list.some((it) => it.name === ref.name)) return doc;
  if (ref.kind === 'bundle') {
    const bundle = (doc.bundles ?? []).find((b) => b.name === ref.name);
    let next: TopologyInput = { ...doc, bundles: (doc.bundles ?? []).filter((b) => b.name !== ref.name) };
    if (next.autoscalePolicies)
      next.autoscalePolicies = next.autoscalePolicies.map((p) => {
        const bundles = dropKey(p.bundles, ref.name);
        return bundles === p.bundles ? p : { ...p, bundles: bundles ?? {} };
      });
    for (const svc of bundle?.services ?? []) next = removeEntity(next, { kind: 'service', name: svc });
    return dropLayout(next, layoutKey(ref));
  }
  const next: TopologyInput = { ...doc, [LIST[ref.kind]]: list.filter((it) => it.name !== ref.name) };
  const target = callTarget(ref);
  if (target) {
    next.services = mapCalls(next.services, (calls) => (calls.some((c) => c.to === target) ? calls.filter((c) => c.to !== target) : calls));
  }
  if (ref.kind === 'service') {
    next.bundles = next.bundles?.map((b) => (b.services.includes(ref.name) ? { ...b, services: b.services.filter((s) => s !== ref.name) } : b));
    if (next.traffic) next.traffic = next.traffic.filter((t) => t.entry !== ref.name);
    if (next.slo) next.slo = next.slo.filter((s) => s.entry !== ref.name);
    return dropLayout(removeServiceFromAsync(next, ref.name), layoutKey(ref));
  }
  if (ref.kind === 'zone') {
    next.bundles = next.bundles?.map((b) => {
      const replicas = dropKey(b.replicas, ref.name);
      return replicas === b.replicas ? b : { ...b, replicas: replicas as BundleIn['replicas'] };
    });
    next.traffic = next.traffic?.map((t) => {
      const zones = dropKey(t.zones, ref.name);
      if (zones === t.zones) return t;
      // A traffic item whose only zone is gone falls back to the default even split.
      if (zones && Object.keys(zones).length > 0) return { ...t, zones };
      const { zones: _, ...rest } = t;
      return rest;
    });
    // The zone's what-if events go with it.
    if (next.timeline) next.timeline = next.timeline.filter((e) => e.failZone !== ref.name && e.restoreZone !== ref.name);
  }
  return dropLayout(next, layoutKey(ref));
}
