/**
 * The results controller with core's real engine: the analytic passes and a real seeded DES run
 * in chunks (as the worker runs it). Checks the merging the designer relies on, and that its
 * cross-check decides exactly as `busboard simulate --method auto` does.
 */
import {
  autoCrossCheck,
  createDesRun,
  layoutKey,
  parseTopology,
  type SimulateOptions,
  type SimulationResult,
  simulate,
  type Topology,
  type TopologyInput,
} from '@busboard/core';
import { describe, expect, it } from 'vitest';
import { CROSS_CHECK_BUDGET, CROSS_CHECK_PRECISION, type CrossCheck, createResultsController, type ResultsEngine } from './controller.ts';

function docOf(input: TopologyInput): Topology {
  const r = parseTopology(input);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return r.doc;
}

const bundle = (name: string, services: string[], replicas: number) => ({ name, services, replicas: { z1: replicas }, cpu: 64, memoryMiB: 256 });
/** The battery's scatter-10 case: perRequest 10 inside a parallel group (batch arrivals), ρ 0.5. */
const SCATTER = docOf({
  schema: 'busboard.topology/v3',
  name: 'scatter 10',
  zones: [{ name: 'z1', region: 'r1' }],
  services: [
    { name: 'front', serviceTimeMs: 1, serviceTimeCv: 1, workers: 64, calls: [{ to: 'leaf', perRequest: 10, parallelGroup: 'scatter' }] },
    { name: 'leaf', serviceTimeMs: 10, serviceTimeCv: 1, workers: 2, calls: [] },
  ],
  bundles: [bundle('front', ['front'], 1), bundle('leaf', ['leaf'], 2)],
  traffic: [{ entry: 'front', rps: 20 }],
});
/** An M/M/1 at ρ 0.5: exact, nothing to cross-check. */
const PLAIN = docOf({
  schema: 'busboard.topology/v3',
  name: 'plain',
  zones: [{ name: 'z1', region: 'r1' }],
  services: [{ name: 'svc', serviceTimeMs: 10, serviceTimeCv: 1, workers: 1, calls: [] }],
  bundles: [bundle('svc', ['svc'], 1)],
  traffic: [{ entry: 'svc', rps: 50 }],
});

/** Core's engine, the DES stepped in chunks between timer ticks as the worker does; counts starts and cancels. */
function realEngine() {
  const log = { fullRuns: 0, desStarts: 0, desCancels: 0 };
  const engine: ResultsEngine = {
    fast: (doc, options) => simulate(doc, options),
    full: async (doc, options) => {
      log.fullRuns++;
      return simulate(doc, options);
    },
    des: (doc, options, listener) => {
      log.desStarts++;
      const run = createDesRun({
        doc,
        seed: CROSS_CHECK_BUDGET.seed,
        requests: CROSS_CHECK_BUDGET.requests,
        precision: CROSS_CHECK_PRECISION,
        scale: options.scale ?? 1,
        failZones: options.failZones ?? [],
      });
      let stopped = false;
      const tick = () => {
        if (stopped) return;
        if (run.step(150_000)) {
          const p = run.progress();
          if (p.result) listener.done(p.result, 1);
          return;
        }
        const p = run.progress();
        listener.progress(p.fraction, p.requests);
        setTimeout(tick, 0);
      };
      setTimeout(tick, 0);
      return () => {
        stopped = true;
        log.desCancels++;
      };
    },
  };
  return { engine, log };
}

/** Resolves once the controller's snapshot satisfies `test`. */
function until(
  c: ReturnType<typeof createResultsController>,
  doc: Topology,
  options: SimulateOptions,
  test: (s: ReturnType<typeof c.getSnapshot>) => boolean,
) {
  return new Promise<ReturnType<typeof c.getSnapshot>>((resolve) => {
    const check = () => {
      const s = c.getSnapshot(doc, options);
      if (!test(s)) return;
      unsub();
      resolve(s);
    };
    const unsub = c.subscribe(check);
    check();
  });
}

const status = (s: { crossCheck: CrossCheck }) => s.crossCheck.status;
/** The DES itself has started (past the settle wait) and reported progress. */
const simulating = (s: { crossCheck: CrossCheck }) => s.crossCheck.status === 'running' && s.crossCheck.requests > 0;

describe('results controller', () => {
  it('gives the per-service figures at once and the end-to-end ones after the worker pass, with a stable snapshot', async () => {
    const { engine } = realEngine();
    const c = createResultsController(engine);
    const options: SimulateOptions = { scale: 1, failZones: [] };
    const first = c.getSnapshot(PLAIN, options);
    expect(first).toBe(c.getSnapshot(PLAIN, options));
    expect(first.result?.services.svc?.utilization).toBeCloseTo(0.5, 12);
    expect(first.entriesPending).toBe(true);
    c.setInput(PLAIN, options);
    const full = await until(c, PLAIN, options, (s) => !s.entriesPending);
    // M/M/1, λ 50/s, s 10 ms: the mean sojourn is s/(1−ρ) = 20 ms (network hops add to the entry's).
    expect(full.result?.services.svc?.sojournMs?.mean).toBeCloseTo(20, 9);
    expect(full.result?.entries.svc?.latencyMs).not.toBeNull();
    expect(status(full)).toBe('none');
    c.dispose();
  });

  it('cross-checks a scatter design by itself and decides exactly as `--method auto` does', async () => {
    const { engine, log } = realEngine();
    const c = createResultsController(engine);
    const options: SimulateOptions = { scale: 1, failZones: [] };
    c.setInput(SCATTER, options);
    const running = await until(c, SCATTER, options, (s) => status(s) === 'running');
    expect(running.result?.entries.front?.validity).not.toBe('ok');
    const done = await until(c, SCATTER, options, (s) => status(s) === 'done');
    if (done.crossCheck.status !== 'done') throw new Error('not done');
    const cli = autoCrossCheck(SCATTER, { seed: CROSS_CHECK_BUDGET.seed, precision: CROSS_CHECK_PRECISION, requests: CROSS_CHECK_BUDGET.requests });
    expect(done.crossCheck.auto.entries).toEqual(cli.entries);
    expect(done.crossCheck.auto.figures).toEqual(cli.figures);
    const p99 = done.crossCheck.auto.entries.front?.p99;
    expect(p99?.trusted).toBe('des');
    // The battery's long pinned-seed DES (fixtures/battery-reference.json): P99 170.19 ms.
    expect(Math.abs((p99?.value ?? 0) - 170.19) / 170.19).toBeLessThan(0.05);
    expect(log.desStarts).toBe(1);

    // Moving a node changes the document but no figure: the simulated figures stay, nothing reruns.
    const moved: Topology = { ...SCATTER, layout: { [layoutKey({ kind: 'service', name: 'front' })]: { x: 40, y: 40 } } };
    c.setInput(moved, options);
    expect(status(c.getSnapshot(moved, options))).toBe('done');
    await until(c, moved, options, (s) => !s.entriesPending);
    expect(status(c.getSnapshot(moved, options))).toBe('done');
    expect(log.desStarts).toBe(1);

    // A what-if drops them and checks again; a second edit while it runs stops that run.
    const more: SimulateOptions = { scale: 1.2, failZones: [] };
    c.setInput(moved, more);
    expect(status(c.getSnapshot(moved, more))).toBe('none');
    await until(c, moved, more, simulating);
    const most: SimulateOptions = { scale: 1.3, failZones: [] };
    c.setInput(moved, most);
    expect(status(c.getSnapshot(moved, most))).toBe('none');
    await until(c, moved, most, simulating);
    c.cancelCrossCheck();
    expect(status(c.getSnapshot(moved, most))).toBe('cancelled');
    expect(log.desCancels).toBeGreaterThanOrEqual(2);
    c.retryCrossCheck();
    const again = await until(c, moved, most, (s) => status(s) === 'done');
    if (again.crossCheck.status !== 'done') throw new Error('not done');
    expect(again.crossCheck.auto.entries.front?.p99.des ?? 0).toBeGreaterThan(p99?.des ?? Number.POSITIVE_INFINITY);
    c.dispose();
  }, 60_000);

  it('starts no simulation where every figure is inside its comfort zone', async () => {
    const { engine, log } = realEngine();
    const c = createResultsController(engine);
    const options: SimulateOptions = { scale: 1, failZones: [] };
    c.setInput(PLAIN, options);
    await until(c, PLAIN, options, (s) => !s.entriesPending);
    await new Promise((r) => setTimeout(r, 600));
    expect(log.desStarts).toBe(0);
    expect(status(c.getSnapshot(PLAIN, options))).toBe('none');
    c.dispose();
  });

  it('keeps the older end-to-end figures of live services while the new ones are computed', async () => {
    const { engine } = realEngine();
    const c = createResultsController(engine);
    const options: SimulateOptions = { scale: 1, failZones: [] };
    c.setInput(PLAIN, options);
    await until(c, PLAIN, options, (s) => !s.entriesPending);
    const busier: Topology = { ...PLAIN, traffic: [{ entry: 'svc', rps: 60 }] };
    const pending = c.getSnapshot(busier, options);
    expect(pending.entriesPending).toBe(true);
    expect(pending.result?.services.svc?.utilization).toBeCloseTo(0.6, 12);
    c.setInput(busier, options);
    const next = await until(c, busier, options, (s) => !s.entriesPending);
    const mean = (r: SimulationResult | null) => r?.services.svc?.sojournMs?.mean ?? 0;
    expect(mean(next.result)).toBeCloseTo(25, 9);
    c.dispose();
  });
});
