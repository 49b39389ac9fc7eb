/**
 * Fresh names and starting values for things added from a palette, so a new service is
 * valid the moment it lands (a planner then tunes its figures in the inspector).
 */
import type { TopologyInput } from '../schema/topology.ts';
import type { Command } from './commands.ts';
import type { XY } from './types.ts';

/** `base`, or `base-2`, `base-3`, … (before the first dot for hostnames: `svc-2.example`). */
export function uniqueName(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  const dot = base.indexOf('.');
  const head = dot < 0 ? base : base.slice(0, dot);
  const tail = dot < 0 ? '' : base.slice(dot);
  for (let i = 2; ; i++) {
    const name = `${head}-${i}${tail}`;
    if (!used.has(name)) return name;
  }
}

/** Cores per replica of a bundle added from the palette. */
const NEW_BUNDLE_CPU = 1;

/** Workers for a new service in a bundle with `cpu` cores per replica: one per whole core, at least one. */
export function workersFor(cpu: number | undefined): number {
  return Math.max(1, Math.floor(cpu ?? 1));
}

export type PaletteKind = 'service' | 'bundle' | 'database' | 'external' | 'zone';

/**
 * The command that adds a new thing of `kind` with working defaults. A service lands in
 * `bundle` when given, else in a new bundle of its own with one replica per zone.
 */
export function paletteCommand(doc: TopologyInput, kind: PaletteKind, options: { bundle?: string; position?: XY } = {}): Command {
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
      if (into) return { type: 'addService', service, bundle: into.name };
      const bundle = uniqueName(name.split('.')[0] ?? 'app', bundleNames);
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
        bundle: { name: uniqueName('app', bundleNames), services: [], replicas: oneEach, cpu: NEW_BUNDLE_CPU, memoryMiB: 256 },
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
