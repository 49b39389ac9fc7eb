/**
 * The estimators against closed forms (MODEL.md §3): M/M/c sojourns inverted back to their own
 * times, the expected maximum of exponentials, Che's hit rate inverted back to its α, and a
 * calibration from measurements written down from the M/M/1 formula.
 */
import { describe, expect, it } from 'vitest';
import { cheHitRate } from '../cache/che.ts';
import type { TopologyInput } from '../schema/topology.ts';
import { parseTopology } from '../schema/validate.ts';
import { calibrateFromMeasurements, zipfForHitRate } from './calibrate.ts';
import { bucketCdf, expectedMax, invertSojourn, meanSojourn } from './estimate.ts';
import type { MeasuredServiceStats, SystemMeasurements } from './measurements.ts';
import { withMicroStats } from './micro.ts';

describe('queue inversion', () => {
  it('gives MODEL.md §3 sojourns and inverts them back to the own time', () => {
    expect(meanSojourn(8, 1, 0.1, 1)).toBeCloseTo(0.5, 10); // M/M/1 λ 8, μ 10
    expect(meanSojourn(0.35, 4, 10, 1)).toBeCloseTo(24.7572, 3); // M/M/4, PDQ's example
    expect(meanSojourn(1, 2, 1, 1)).toBeCloseTo(1.33333, 5); // M/M/2
    expect(invertSojourn([8], 1, 1, 0.5)).toBeCloseTo(0.1, 9);
    expect(invertSojourn([0.35], 4, 1, 24.7572)).toBeCloseTo(10, 3);
    // Two instances at different rates: the load-weighted sojourn.
    const m = 0.1;
    const target = (6 / 10) * meanSojourn(6, 1, m, 1) + (4 / 10) * meanSojourn(4, 1, m, 1);
    expect(invertSojourn([6, 4], 1, 1, target)).toBeCloseTo(m, 9);
    // A sojourn no queue at these rates can produce is refused, not guessed.
    expect(invertSojourn([8], 1, 1, -1)).toBeNull();
  });

  it('expected maximum of n exponentials is the harmonic number', () => {
    const exp = (whole: number, frac = 0) => ({ survival: (x: number) => Math.exp(-x), whole, frac, upper: 40 });
    expect(expectedMax([exp(1)])).toBeCloseTo(1, 3);
    expect(expectedMax([exp(2)])).toBeCloseTo(1.5, 3);
    expect(expectedMax([exp(1), exp(1), exp(1), exp(1), exp(1)])).toBeCloseTo(1 + 1 / 2 + 1 / 3 + 1 / 4 + 1 / 5, 3);
    // 1 or 2 draws with even odds: (1 + 1.5) / 2.
    expect(expectedMax([exp(1, 0.5)])).toBeCloseTo(1.25, 3);
  });

  it('reads cumulative bucket rates as a CDF, linear inside a bucket', () => {
    const b = [
      { le: 10, rate: 5 },
      { le: 20, rate: 9 },
      { le: Number.POSITIVE_INFINITY, rate: 10 },
    ];
    expect(bucketCdf(b, 5)).toBeCloseTo(0.25, 12);
    expect(bucketCdf(b, 15)).toBeCloseTo(0.7, 12);
    expect(bucketCdf(b, 100)).toBeCloseTo(0.9, 12);
  });

  it("finds the zipf α whose Che hit rate is the measured one (MODEL.md §3's 0.3905 at α 1)", () => {
    expect(cheHitRate(10_000, 1, 100)).toBeCloseTo(0.3905, 3);
    expect(zipfForHitRate(10_000, 100, 0.3905)).toBeCloseTo(1, 2);
    expect(zipfForHitRate(100_000, 1000, 0.3421)).toBeCloseTo(0.9, 2);
    expect(zipfForHitRate(100, 200, 0.5)).toBeNull(); // capacity holds every key: always hits
  });
});

const stats = (over: Partial<MeasuredServiceStats>): MeasuredServiceStats => ({
  requestRps: 0,
  durationMeanMs: null,
  durationMs: { p50: null, p95: null, p99: null },
  buckets: [],
  instances: {},
  cache: null,
  source: 'prometheus',
  ...over,
});

describe('calibration from measurements', () => {
  // Truth: front (M/M/1, own 50 ms) calls back (M/M/2, own 100 ms), 8 req/s enter front.
  const truth = { frontOwn: 50, backOwn: 100, rps: 8, hop: 0.5 };
  const wFront = meanSojourn(truth.rps / 1000, 1, truth.frontOwn, 1);
  const wBack = meanSojourn(truth.rps / 1000, 2, truth.backOwn, 1);
  const measurements: SystemMeasurements = {
    windowS: 300,
    at: 0,
    timeScale: 1,
    services: {
      'front.app': stats({ requestRps: truth.rps, durationMeanMs: wFront + truth.hop + wBack, instances: { a: truth.rps } }),
      'back.app': stats({ requestRps: truth.rps, durationMeanMs: wBack, instances: { b: truth.rps } }),
    },
    calls: [{ from: 'front.app', to: 'back.app', rps: truth.rps, ackMeanMs: truth.hop, timeoutRps: 0 }],
    instanceZones: { a: 'z1', b: 'z1' },
  };
  const wrong: TopologyInput = {
    schema: 'busboard.topology/v3',
    name: 'wrong',
    zones: [{ name: 'z1', region: 'r' }],
    nats: [{ name: 'n', region: 'r' }],
    services: [
      { name: 'front.app', serviceTimeMs: 100, workers: 1, calls: [{ to: 'back.app', perRequest: 2 }] },
      { name: 'back.app', serviceTimeMs: 200, workers: 2 },
    ],
    bundles: [
      { name: 'front', services: ['front.app'], replicas: { z1: 1 } },
      { name: 'back', services: ['back.app'], replicas: { z1: 1 } },
    ],
    traffic: [{ entry: 'front.app', rps: 4 }],
  };

  it('recovers traffic, calls per request and own times (subtract downstream, invert the queue)', () => {
    const c = calibrateFromMeasurements(wrong, measurements);
    const p = parseTopology(c.doc);
    if (!p.ok) throw new Error('calibrated design does not parse');
    expect(p.doc.traffic[0]?.rps).toBeCloseTo(truth.rps, 3);
    expect(p.doc.services[0]?.calls[0]?.perRequest).toBeCloseTo(1, 3);
    expect(p.doc.services[0]?.serviceTimeMs).toBeCloseTo(truth.frontOwn, 1);
    expect(p.doc.services[1]?.serviceTimeMs).toBeCloseTo(truth.backOwn, 1);
    expect(c.changes.map((x) => x.path).sort()).toEqual([
      'services[0].calls[0].perRequest',
      'services[0].serviceTimeMs',
      'services[1].serviceTimeMs',
      'traffic[0].rps',
    ]);
    // The wrong design's input is left alone.
    expect(wrong.services?.[0]?.serviceTimeMs).toBe(100);
  });

  it('says why a figure is left as designed', () => {
    const c = calibrateFromMeasurements(wrong, {
      ...measurements,
      services: { 'front.app': measurements.services['front.app'] as MeasuredServiceStats },
    });
    expect(c.skipped.some((s) => s.startsWith('services[1].serviceTimeMs (back.app): not seen'))).toBe(true);
    expect(c.skipped.some((s) => s.includes('front.app') && s.includes('no measured duration for back.app'))).toBe(true);
  });
});

describe('NATS micro stats', () => {
  it('fill in services Prometheus does not know, with their instances and zones', () => {
    const base: SystemMeasurements = { windowS: 60, at: 0, timeScale: 1, services: {}, calls: [], instanceZones: {} };
    const instance = (id: string, rate: number) => ({
      id,
      server: 's1',
      connection: 's1/1',
      zone: 'z1',
      zoneSource: 'metadata' as const,
      version: '1.0.0',
      requests: 100,
      errors: 0,
      requestRate: rate,
      avgProcessingMs: 4,
    });
    const svc = { name: 'orders', description: null, endpoints: [], versions: ['1.0.0'], probe: null };
    const m = withMicroStats(base, {
      services: [
        { ...svc, kind: 'micro', instances: [instance('a', 3), instance('b', 5)], requestRate: 8, avgProcessingMs: 4 },
        { ...svc, name: 'web.example', kind: 'microbus', instances: [], requestRate: 2, avgProcessingMs: null },
      ],
    });
    expect(m.services.orders).toMatchObject({ requestRps: 8, durationMeanMs: 4, instances: { a: 3, b: 5 }, source: 'nats-micro' });
    expect(m.services['web.example']).toBeUndefined();
    expect(m.instanceZones).toEqual({ a: 'z1', b: 'z1' });
  });
});
