/**
 * Fresh names and starting values for things added from a palette, so a new service is
 * valid the moment it lands (a planner then tunes its figures in the inspector).
 */
import type { TopologyInput } from '../schema/topology.ts';
import { asyncPaletteCommand } from './async-palette.ts';
import type { Command } from './commands.ts';
import type { XY } from './types.ts';
import { uniqueName } from './unique.ts';

export { uniqueName };

/** Cores per replica of a bundle added from the palette. */
const NEW_BUNDLE_CPU = 1;

/** Workers for a new service in a bundle with `cpu` cores per replica: one per whole core, at least one. */
export function workersFor(cpu: number | undefined): number {
  return Math.max(1, Math.floor(cpu ?? 1));
}

export type PaletteKind = 'service' | 'bundle' | 'database' | 'external' | 'zone' | 'stream' | 'consumer';

/**
 * The command that adds a new thing of `kind` with working defaults. A service lands in
 * `bundle` when given, else in a new bundle of its own with one replica per zone. A stream or
 * a consumer: async-palette.ts (`stream` and `service` pick a consumer's stream and handler).
 */
export function paletteCommand(
  doc: TopologyInput,
  kind: PaletteKind,
  options: { bundle?: string; position?: XY; stream?: string; service?: string } = {},
): Command {
  const zones = doc.zones ?? [];
  const oneEach = Object.fromEntries(zones.map((z) => [z.name, 1]));
  const bundleNames = (doc.bundles ?? []).map((b) => b.name);
  switch (kind) {
    case 'service': {
      const name = uniqueName(
        'service.example',
        (doc.services ?? []).map((s) => s.name),
      );
      // As many workers as the bundle's replica has cores, so that ρ and CPU tell one story
      // from the first click (a worker per core; more only for services that mostly wait).
      const into = options.bundle ? (doc.bundles ?? []).find((b) => b.name === options.bundle) : undefined;
      const service = { name, serviceTimeMs: 5, serviceTimeCv: 1, workers: workersFor(into?.cpu ?? NEW_BUNDLE_CPU), calls: [] };
      if (into) {
        const adopt = adoptNameCommand(doc, into.name, name);
        const add: Command = { type: 'addService', service, bundle: adopt ? adopt.to : into.name };
        return adopt ? { type: 'batch', commands: [adopt, add] } : add;
      }
      const bundle = bundleNameFor(name, bundleNames);
      return {
        type: 'batch',
        commands: [
          {
            type: 'addBundle',
            bundle: { name: bundle, services: [], replicas: oneEach, cpu: NEW_BUNDLE_CPU, memoryMiB: 256 },
            position: options.position,
          },
          { type: 'addService', service, bundle },
        ],
      };
    }
    case 'bundle':
      return {
        type: 'addBundle',
        bundle: { name: uniqueName(EMPTY_BUNDLE_BASE, bundleNames), services: [], replicas: oneEach, cpu: NEW_BUNDLE_CPU, memoryMiB: 256 },
        position: options.position,
      };
    case 'database':
      return {
        type: 'addDatabase',
        database: {
          name: uniqueName(
            'db',
            (doc.databases ?? []).map((d) => d.name),
          ),
          shards: [{ name: 'shard-1', vcpu: 4, maxConnections: 200 }],
          queryTimeMs: 2,
          queryTimeCv: 1,
          poolPerReplica: 10,
        },
        position: options.position,
      };
    case 'external':
      return {
        type: 'addExternal',
        external: {
          name: uniqueName(
            'external',
            (doc.externals ?? []).map((e) => e.name),
          ),
          latencyMs: 50,
          latencyCv: 0.5,
        },
        position: options.position,
      };
    case 'stream':
    case 'consumer':
      return asyncPaletteCommand(doc, kind, options);
    case 'zone': {
      const region = zones.at(-1)?.region ?? 'region-1';
      return {
        type: 'addZone',
        zone: {
          name: uniqueName(
            `${region}-zone`,
            zones.map((z) => z.name),
          ),
          region,
        },
      };
    }
  }
}

/*
 * Bundles named after what they hold. A bundle added with a service takes the service's
 * first label (`cart.example` → `cart`), and keeps following it while that service is all
 * it holds: renaming the service renames the bundle, so a design never ends up with bundles
 * called "service" and "service-2". An empty bundle from the palette (`app`, `app-2`, …)
 * takes the name of the first service put in it. Every such name is a hostname label
 * (the export uses it for Kubernetes objects) and unique among the bundles.
 */

/** The base name of an empty bundle added from the palette. */
export const EMPTY_BUNDLE_BASE = 'app';

/** A service's first label, which is a valid hostname label when the service name is a hostname. */
function firstLabel(service: string): string {
  return service.split('.')[0] || 'app';
}

/** Whether `bundle` is `base` or `base-N` (a name given by `uniqueName`). */
function isNamedAfter(bundle: string, base: string): boolean {
  return bundle === base || (bundle.startsWith(`${base}-`) && /^\d+$/.test(bundle.slice(base.length + 1)));
}

/** A fresh bundle name for `service`: its first label, made unique among `taken`. */
export function bundleNameFor(service: string, taken: Iterable<string>): string {
  return uniqueName(firstLabel(service), taken);
}

/**
 * Renames a service; when its bundle holds only it and is named after it, the bundle
 * follows (`service` → `cart` when `service.example` becomes `cart.example`). One command,
 * so one undo step.
 */
export function renameServiceCommand(doc: TopologyInput, from: string, to: string): Command {
  const rename: Command = { type: 'renameEntity', target: { kind: 'service', name: from }, to };
  const bundles = doc.bundles ?? [];
  const own = bundles.find((b) => b.services.length === 1 && b.services[0] === from);
  const next = to.trim();
  if (!own || !isNamedAfter(own.name, firstLabel(from)) || firstLabel(next) === firstLabel(from)) return rename;
  const name = bundleNameFor(
    next,
    bundles.filter((b) => b !== own).map((b) => b.name),
  );
  return { type: 'batch', commands: [rename, { type: 'renameEntity', target: { kind: 'bundle', name: own.name }, to: name }] };
}

/**
 * The rename that lets an empty palette bundle (`app`, `app-2`) take the name of the first
 * service put in it, or null when the bundle keeps its name.
 */
export function adoptNameCommand(doc: TopologyInput, bundle: string, service: string): Extract<Command, { type: 'renameEntity' }> | null {
  const bundles = doc.bundles ?? [];
  const b = bundles.find((x) => x.name === bundle);
  if (!b || b.services.length > 0 || !isNamedAfter(b.name, EMPTY_BUNDLE_BASE)) return null;
  const name = bundleNameFor(
    service,
    bundles.filter((x) => x !== b).map((x) => x.name),
  );
  return name === b.name ? null : { type: 'renameEntity', target: { kind: 'bundle', name: b.name }, to: name };
}

/** Moves a service into a bundle; an empty palette bundle takes the service's name (one undo step). */
export function moveServiceCommand(doc: TopologyInput, service: string, toBundle: string): Command {
  const adopt = adoptNameCommand(doc, toBundle, service);
  const move: Command = { type: 'moveService', service, toBundle };
  if (!adopt) return move;
  return { type: 'batch', commands: [adopt, { ...move, toBundle: adopt.to }] };
}
