/**
 * The page's side of the engine worker: one worker, started on first use, promises per
 * request. Requests are cheap to drop: callers keep only the answer to their latest ask.
 */
import type { Recommendation, SimulationResult, Topology } from '@busboard/core';
import type { EngineRequest, EngineResponse, SweepPoint, SweepRequest } from './protocol.ts';

type Pending = { resolve: (r: EngineResponse) => void };
let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();

function getWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'busboard-engine' });
  worker.onmessage = (e: MessageEvent<EngineResponse>) => {
    const p = pending.get(e.data.id);
    pending.delete(e.data.id);
    p?.resolve(e.data);
  };
  return worker;
}

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

function ask(req: WithoutId<EngineRequest>): Promise<EngineResponse> {
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, { resolve });
    getWorker().postMessage({ ...req, id });
  });
}

export async function simulateInWorker(req: Omit<Extract<EngineRequest, { kind: 'simulate' }>, 'id'>): Promise<SimulationResult> {
  const res = await ask(req);
  if (!res.ok) throw new Error(res.error);
  if (!('result' in res)) throw new Error('engine worker: expected a result');
  return res.result;
}

export async function sweepInWorker(req: SweepRequest): Promise<SweepPoint[]> {
  const res = await ask(req);
  if (!res.ok) throw new Error(res.error);
  if (!('points' in res)) throw new Error('engine worker: expected sweep points');
  return res.points;
}

export async function recommendInWorker(doc: Topology, scale = 1): Promise<Recommendation> {
  const res = await ask({ kind: 'recommend', doc, scale });
  if (!res.ok) throw new Error(res.error);
  if (!('recommendation' in res)) throw new Error('engine worker: expected a recommendation');
  return res.recommendation;
}
