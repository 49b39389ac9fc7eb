/**
 * Edits as typed commands, applied by one pure reducer: undo/redo and autosave follow from
 * it (the editor keeps a history of documents; every command yields a new document).
 *
 * Every edit in MODEL.md §1 is a command. Renames and removals keep the document whole:
 * a renamed service is renamed in every call, bundle, traffic entry, SLO and layout key; a
 * removed one leaves no call, traffic entry or SLO pointing at it. Whether the result is a
 * valid document is `parseTopology`'s business: the editor checks before it commits.
 */
import { applyReplicas } from '../goal/index.ts';
import type { PriceBookT } from '../schema/cost.ts';
import type { TopologyInput } from '../schema/topology.ts';
import { type AsyncCommand, applyAsyncCommand } from './async.ts';
import { applyClassCommand, type ClassCommand } from './classes.ts';
import { mergeFields, setLayout, withPosition } from './records.ts';
import { removeEntity, renameEntity } from './references.ts';
import type { BundleIn, CallIn, DatabaseIn, EntityRef, ExternalIn, NatsIn, NetworkIn, ServiceIn, SloIn, TrafficIn, XY, ZoneIn } from './types.ts';
import { layoutKey } from './types.ts';

export type Command =
  /** The document's own name. */
  | { type: 'rename'; name: string }
  | { type: 'addZone'; zone: ZoneIn }
  /** A new service goes into an existing bundle (every service belongs to exactly one). */
  | { type: 'addService'; service: ServiceIn; bundle: string; position?: XY }
  | { type: 'addBundle'; bundle: BundleIn; position?: XY }
  | { type: 'addDatabase'; database: DatabaseIn; position?: XY }
  | { type: 'addExternal'; external: ExternalIn; position?: XY }
  | { type: 'addNats'; nats: NatsIn }
  /** Removes an entity and every reference to it (a bundle takes its services with it). */
  | { type: 'remove'; target: EntityRef }
  /** Renames an entity and every reference to it. */
  | { type: 'renameEntity'; target: EntityRef; to: string }
  /** Sets fields of one entity; a field set to `undefined` is removed (e.g. a service's cache). */
  | { type: 'setService'; name: string; fields: Partial<Omit<ServiceIn, 'name' | 'calls'>> }
  | { type: 'setBundle'; name: string; fields: Partial<Omit<BundleIn, 'name' | 'services' | 'replicas'>> }
  | { type: 'setZone'; name: string; fields: Partial<Omit<ZoneIn, 'name'>> }
  | { type: 'setDatabase'; name: string; fields: Partial<Omit<DatabaseIn, 'name'>> }
  | { type: 'setExternal'; name: string; fields: Partial<Omit<ExternalIn, 'name'>> }
  | { type: 'setNats'; name: string; fields: Partial<Omit<NatsIn, 'name'>> }
  | { type: 'setNetwork'; fields: Partial<NetworkIn> }
  /** Sets figures of the price book (`cost`); a field set to `undefined` goes back to the preset's. */
  | { type: 'setCost'; fields: Partial<PriceBookT> }
  | { type: 'setRouting'; routing: 'locality' | 'random' }
  | { type: 'setReplicas'; bundle: string; zone: string; replicas: number }
  /** Moves a service into another bundle (it leaves the one it was in). */
  | { type: 'moveService'; service: string; toBundle: string }
  | { type: 'addCall'; from: string; call: CallIn }
  | { type: 'setCall'; from: string; index: number; fields: Partial<CallIn> }
  | { type: 'removeCall'; from: string; index: number }
  | { type: 'addTraffic'; traffic: TrafficIn }
  | { type: 'setTraffic'; index: number; fields: Partial<TrafficIn> }
  | { type: 'removeTraffic'; index: number }
  | { type: 'addSlo'; slo: SloIn }
  | { type: 'setSlo'; index: number; fields: Partial<SloIn> }
  | { type: 'removeSlo'; index: number }
  /** Hand-set positions by layout key (`svc:NAME`, `bundle:NAME`, `db:NAME`, `ext:NAME`); null forgets one. */
  | { type: 'setLayout'; positions: Record<string, XY | null> }
  /** Forgets every hand-set position (auto-layout decides again). */
  | { type: 'clearLayout' }
  /** Sets replica counts per bundle and zone, as the engine's recommendation gives them. */
  | { type: 'applyRecommendation'; bundles: Record<string, { replicas: Record<string, number> }> }
  /** Sets whole replica maps per bundle (bundle → zone → count), as goal seek's answer or a frontier point gives them (core `applyReplicas`). */
  | { type: 'applyReplicas'; replicas: Record<string, Record<string, number>> }
  /** Replaces the whole document (an import): one undo step back to what was there. */
  | { type: 'replaceDocument'; doc: TopologyInput }
  /** Several commands as one undo step (delete a selection, paste). */
  | { type: 'batch'; commands: Command[] }
  /** Traffic classes (schema v2): add, set priority, rename, remove, with their references (classes.ts). */
  | ClassCommand
  /** Async messaging (schema v3): streams, consumers, publishes and subscriptions (async.ts). */
  | AsyncCommand;

/** Applies a command; returns the same object when the command changes nothing. */
export function applyCommand(doc: TopologyInput, cmd: Command): TopologyInput {
  switch (cmd.type) {
    case 'rename':
      return doc.name === cmd.name ? doc : { ...doc, name: cmd.name };
    case 'addZone':
      return { ...doc, zones: [...(doc.zones ?? []), cmd.zone] };
    case 'addService': {
      const bundles = doc.bundles ?? [];
      if (!bundles.some((b) => b.name === cmd.bundle)) return doc;
      return withPosition(
        {
          ...doc,
          services: [...(doc.services ?? []), cmd.service],
          bundles: bundles.map((b) => (b.name === cmd.bundle ? { ...b, services: [...b.services, cmd.service.name] } : b)),
        },
        layoutKey({ kind: 'service', name: cmd.service.name }),
        cmd.position,
      );
    }
    case 'addBundle':
      return withPosition(
        { ...doc, bundles: [...(doc.bundles ?? []), cmd.bundle] },
        layoutKey({ kind: 'bundle', name: cmd.bundle.name }),
        cmd.position,
      );
    case 'addDatabase':
      return withPosition(
        { ...doc, databases: [...(doc.databases ?? []), cmd.database] },
        layoutKey({ kind: 'database', name: cmd.database.name }),
        cmd.position,
      );
    case 'addExternal':
      return withPosition(
        { ...doc, externals: [...(doc.externals ?? []), cmd.external] },
        layoutKey({ kind: 'external', name: cmd.external.name }),
        cmd.position,
      );
    case 'addNats':
      return { ...doc, nats: [...(doc.nats ?? []), cmd.nats] };
    case 'remove':
      return removeEntity(doc, cmd.target);
    case 'renameEntity':
      return renameEntity(doc, cmd.target, cmd.to);
    case 'setService':
      return setNamed(doc, 'services', cmd.name, cmd.fields);
    case 'setBundle':
      return setNamed(doc, 'bundles', cmd.name, cmd.fields);
    case 'setZone':
      return setNamed(doc, 'zones', cmd.name, cmd.fields);
    case 'setDatabase':
      return setNamed(doc, 'databases', cmd.name, cmd.fields);
    case 'setExternal':
      return setNamed(doc, 'externals', cmd.name, cmd.fields);
    case 'setNats':
      return setNamed(doc, 'nats', cmd.name, cmd.fields);
    case 'setNetwork': {
      const network = mergeFields(doc.network ?? {}, cmd.fields);
      return network === (doc.network ?? {}) ? doc : { ...doc, network };
    }
    case 'setCost': {
      const cost = mergeFields(doc.cost ?? {}, cmd.fields);
      if (cost === (doc.cost ?? {})) return doc;
      const { cost: _, ...rest } = doc;
      return Object.keys(cost).length ? { ...doc, cost } : rest;
    }
    case 'setRouting':
      return doc.routing === cmd.routing ? doc : { ...doc, routing: cmd.routing };
    case 'setReplicas':
      return setReplicas(doc, { [cmd.bundle]: { [cmd.zone]: cmd.replicas } });
    case 'applyRecommendation':
      return setReplicas(doc, Object.fromEntries(Object.entries(cmd.bundles).map(([b, r]) => [b, r.replicas])));
    case 'applyReplicas': {
      const next = applyReplicas(doc, cmd.replicas);
      // The same counts are no edit (no empty undo step).
      const same = (doc.bundles ?? []).every((b, i) => JSON.stringify(b.replicas) === JSON.stringify(next.bundles?.[i]?.replicas));
      return same ? doc : next;
    }
    case 'moveService':
      return moveService(doc, cmd.service, cmd.toBundle);
    case 'addCall':
      return updateService(doc, cmd.from, (s) => ({ ...s, calls: [...(s.calls ?? []), cmd.call] }));
    case 'setCall':
      return updateService(doc, cmd.from, (s) => {
        const calls = s.calls ?? [];
        const call = calls[cmd.index];
        if (!call) return s;
        const next = mergeFields(call, cmd.fields);
        return next === call ? s : { ...s, calls: calls.map((c, i) => (i === cmd.index ? next : c)) };
      });
    case 'removeCall':
      return updateService(doc, cmd.from, (s) => {
        const calls = s.calls ?? [];
        return cmd.index in calls ? { ...s, calls: calls.filter((_, i) => i !== cmd.index) } : s;
      });
    case 'addTraffic':
      return { ...doc, traffic: [...(doc.traffic ?? []), cmd.traffic] };
    case 'setTraffic':
      return setAt(doc, 'traffic', cmd.index, cmd.fields);
    case 'removeTraffic':
      return removeAt(doc, 'traffic', cmd.index);
    case 'addSlo':
      return { ...doc, slo: [...(doc.slo ?? []), cmd.slo] };
    case 'setSlo':
      return setAt(doc, 'slo', cmd.index, cmd.fields);
    case 'removeSlo':
      return removeAt(doc, 'slo', cmd.index);
    case 'setLayout':
      return setLayout(doc, cmd.positions);
    case 'clearLayout': {
      if (!doc.layout) return doc;
      const { layout: _, ...rest } = doc;
      return rest;
    }
    case 'replaceDocument':
      return cmd.doc;
    case 'batch':
      return cmd.commands.reduce(applyCommand, doc);
    case 'addClass':
    case 'setClass':
    case 'renameClass':
    case 'removeClass':
      return applyClassCommand(doc, cmd);
    case 'addStream':
    case 'setStream':
    case 'addConsumer':
    case 'setConsumer':
    case 'addPublish':
    case 'setPublish':
    case 'removePublish':
    case 'addSubscription':
    case 'setSubscription':
    case 'removeSubscription':
      return applyAsyncCommand(doc, cmd);
  }
}

type NamedList = 'services' | 'bundles' | 'zones' | 'databases' | 'externals' | 'nats';

function setNamed<K extends NamedList>(doc: TopologyInput, key: K, name: string, fields: object): TopologyInput {
  const list = (doc[key] ?? []) as Array<{ name: string }>;
  let changed = false;
  const next = list.map((it) => {
    if (it.name !== name) return it;
    const merged = mergeFields(it, fields as Partial<typeof it>);
    if (merged !== it) changed = true;
    return merged;
  });
  return changed ? { ...doc, [key]: next } : doc;
}

function updateService(doc: TopologyInput, name: string, fn: (s: ServiceIn) => ServiceIn): TopologyInput {
  let changed = false;
  const services = (doc.services ?? []).map((s) => {
    if (s.name !== name) return s;
    const next = fn(s);
    if (next !== s) changed = true;
    return next;
  });
  return changed ? { ...doc, services } : doc;
}

function setAt<K extends 'traffic' | 'slo'>(doc: TopologyInput, key: K, index: number, fields: Partial<TrafficIn & SloIn>): TopologyInput {
  const list = (doc[key] ?? []) as Array<TrafficIn | SloIn>;
  const item = list[index];
  if (!item) return doc;
  const next = mergeFields(item, fields as Partial<typeof item>);
  return next === item ? doc : { ...doc, [key]: list.map((it, i) => (i === index ? next : it)) };
}

function removeAt(doc: TopologyInput, key: 'traffic' | 'slo', index: number): TopologyInput {
  const list = (doc[key] ?? []) as unknown[];
  return index in list ? { ...doc, [key]: list.filter((_, i) => i !== index) } : doc;
}

function setReplicas(doc: TopologyInput, byBundle: Record<string, Record<string, number>>): TopologyInput {
  let changed = false;
  const bundles = (doc.bundles ?? []).map((b) => {
    const want = byBundle[b.name];
    if (!want) return b;
    let replicas = b.replicas;
    for (const [zone, n] of Object.entries(want)) {
      const count = Math.max(0, Math.floor(n));
      if (replicas[zone] === count) continue;
      replicas = { ...replicas, [zone]: count };
    }
    if (replicas === b.replicas) return b;
    changed = true;
    return { ...b, replicas };
  });
  return changed ? { ...doc, bundles } : doc;
}

function moveService(doc: TopologyInput, service: string, toBundle: string): TopologyInput {
  const bundles = doc.bundles ?? [];
  const target = bundles.find((b) => b.name === toBundle);
  if (!target || target.services.includes(service)) return doc;
  if (!(doc.services ?? []).some((s) => s.name === service)) return doc;
  return {
    ...doc,
    bundles: bundles.map((b) => {
      if (b.name === toBundle) return { ...b, services: [...b.services, service] };
      return b.services.includes(service) ? { ...b, services: b.services.filter((s) => s !== service) } : b;
    }),
  };
}
