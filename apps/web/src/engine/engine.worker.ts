/// <reference lib="webworker" />
/** Runs core's engine off the main thread: full simulations and the charts' sweeps. */
import '../zod-config.ts';
import { goalSeek, goodputSweep, recommend, simulate, type Topology } from '@busboard/core';
import { worstP99 } from '../goal/frontier.ts';
import type { EngineRequest, EngineResponse, SweepPoint } from './protocol.ts';

/** Spreads `total` replicas evenly over `zones` in order (the first zones take the remainder). */
export function spread(zones: string[], total: number): Record<string, number> {
  const base = Math.floor(total / zones.length);
  const extra = total % zones.length;
  return Object.fromEntries(zones.map((z, i) => [z, base + (i < extra ? 1 : 0)]));
}

function handle(req: EngineRequest): EngineResponse {
  switch (req.kind) {
    case 'simulate':
      return { id: req.id, ok: true, result: simulate(req.doc, req.options) };
    case 'loadSweep':
      return {
        id: req.id,
        ok: true,
        points: req.scales.map((s): SweepPoint => ({ x: s, result: simulate(req.doc, { ...req.options, scale: (req.options.scale ?? 1) * s }) })),
      };
    case 'goodputSweep':
      return {
        id: req.id,
        ok: true,
        goodput: goodputSweep(req.doc, {
          currentScale: req.options.scale ?? 1,
          points: req.points,
          ...(req.options.failZones?.length ? { failZones: req.options.failZones } : {}),
        }),
      };
    case 'recommend':
      return { id: req.id, ok: true, recommendation: recommend(req.doc, { scale: req.scale }) };
    case 'goalSeek': {
      const goal = goalSeek(req.doc, req.options);
      return { id: req.id, ok: true, goal, currentP99Ms: worstP99(simulate(req.doc, { scale: goal.options.scale })) };
    }
    case 'replicaSweep': {
      const bundle = req.doc.bundles.find((b) => b.name === req.bundle);
      if (!bundle) return { id: req.id, ok: false, error: `no bundle "${req.bundle}"` };
      const used = Object.entries(bundle.replicas)
        .filter(([, n]) => n > 0)
        .map(([z]) => z);
      const zones = used.length ? used : req.doc.zones.map((z) => z.name);
      const points = req.counts.map((n): SweepPoint => {
        const doc: Topology = { ...req.doc, bundles: req.doc.bundles.map((b) => (b === bundle ? { ...b, replicas: spread(zones, n) } : b)) };
        return { x: n, result: simulate(doc, req.options) };
      });
      return { id: req.id, ok: true, points };
    }
  }
}

self.onmessage = (e: MessageEvent<EngineRequest>) => {
  let res: EngineResponse;
  try {
    res = handle(e.data);
  } catch (err) {
    res = { id: e.data.id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  self.postMessage(res);
};
