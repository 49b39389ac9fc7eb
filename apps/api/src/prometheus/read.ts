/**
 * Reads Microbus's metrics (MODEL.md §4) from Prometheus into core's `SystemMeasurements`:
 * request rates and duration histograms per service and instance (the control port :888 left
 * out), calls per caller → callee from the ack round-trip histogram, cache loads and hits,
 * timeouts — all as `rate(…[window])` at one instant. `timeScale` undoes a rehearsal's
 * dilation (rates × K, times ÷ K); it is 1 for a real deployment.
 */
import type { BucketRate, MeasuredServiceStats, SystemMeasurements } from '@busboard/core';
import { instantQuery, type PrometheusSource, type Sample } from './client.ts';

export interface ReadOptions {
  windowS: number;
  /** Unix seconds at the end of the window (default: now). */
  at?: number;
  timeScale?: number;
  /** Only series of this Microbus plane. */
  plane?: string;
  /** Instance id → zone, from the live reader. */
  instanceZones?: Record<string, string>;
}

export type ReadResult = { ok: true; measurements: SystemMeasurements } | { ok: false; problem: string };

const DURATION = 'microbus_server_request_duration_seconds';
const ACK = 'microbus_client_ack_roundtrip_latency_seconds';

export async function readMeasurements(source: PrometheusSource, o: ReadOptions): Promise<ReadResult> {
  const w = `${Math.max(1, Math.round(o.windowS))}s`;
  const k = o.timeScale ?? 1;
  const plane = o.plane ? `,plane="${o.plane.replace(/[^A-Za-z0-9]/g, '')}"` : '';
  const sel = `{port!="888"${plane}}`;
  const queries = {
    count: `sum by (service) (rate(${DURATION}_count${sel}[${w}]))`,
    sum: `sum by (service) (rate(${DURATION}_sum${sel}[${w}]))`,
    instances: `sum by (service, id) (rate(${DURATION}_count${sel}[${w}]))`,
    buckets: `sum by (service, le) (rate(${DURATION}_bucket${sel}[${w}]))`,
    p50: `histogram_quantile(0.5, sum by (service, le) (rate(${DURATION}_bucket${sel}[${w}])))`,
    p95: `histogram_quantile(0.95, sum by (service, le) (rate(${DURATION}_bucket${sel}[${w}])))`,
    p99: `histogram_quantile(0.99, sum by (service, le) (rate(${DURATION}_bucket${sel}[${w}])))`,
    ackCount: `sum by (service, host) (rate(${ACK}_count{${plane.slice(1)}}[${w}]))`,
    ackSum: `sum by (service, host) (rate(${ACK}_sum{${plane.slice(1)}}[${w}]))`,
    cache: `sum by (service, hit) (rate(microbus_cache_operations_total{op="load"${plane}}[${w}]))`,
    timeouts: `sum by (service, host) (rate(microbus_client_timeout_requests_total{${plane.slice(1)}}[${w}]))`,
  };
  const at = o.at ?? Date.now() / 1000;
  const entries = Object.entries(queries);
  const answers = await Promise.all(entries.map(([, q]) => instantQuery(source, q, at)));
  const failed = answers.find((a) => !a.ok);
  if (failed && !failed.ok) return { ok: false, problem: failed.problem };
  const r = Object.fromEntries(entries.map(([name], i) => [name, (answers[i] as { samples: Sample[] }).samples])) as Record<
    keyof typeof queries,
    Sample[]
  >;
  if (r.count.length === 0)
    return {
      ok: false,
      problem: `Prometheus has no ${DURATION} series in the last ${w}${o.plane ? ` for plane ${o.plane}` : ''}: is it scraping the Microbus replicas (MICROBUS_PROMETHEUS_EXPORTER)?`,
    };

  const services: Record<string, MeasuredServiceStats> = {};
  const get = (name: string): MeasuredServiceStats => {
    let s = services[name];
    if (!s) {
      s = {
        requestRps: 0,
        durationMeanMs: null,
        durationMs: { p50: null, p95: null, p99: null },
        buckets: [],
        instances: {},
        cache: null,
        source: 'prometheus',
      };
      services[name] = s;
    }
    return s;
  };
  for (const x of r.count) get(x.metric.service ?? '').requestRps = x.value * k;
  for (const x of r.sum) {
    const s = get(x.metric.service ?? '');
    const count = r.count.find((c) => c.metric.service === x.metric.service)?.value ?? 0;
    s.durationMeanMs = count > 0 ? ((x.value / count) * 1000) / k : null;
  }
  for (const x of r.instances) if (x.metric.id) get(x.metric.service ?? '').instances[x.metric.id] = x.value * k;
  for (const x of r.buckets) {
    const le = x.metric.le === '+Inf' ? Number.POSITIVE_INFINITY : (Number(x.metric.le) * 1000) / k;
    get(x.metric.service ?? '').buckets.push({ le, rate: x.value * k } satisfies BucketRate);
  }
  for (const s of Object.values(services)) s.buckets.sort((a, b) => a.le - b.le);
  for (const q of ['p50', 'p95', 'p99'] as const) for (const x of r[q]) get(x.metric.service ?? '').durationMs[q] = (x.value * 1000) / k;
  for (const x of r.cache) {
    const s = get(x.metric.service ?? '');
    const c = s.cache ?? { loadsRps: 0, hitsRps: 0 };
    c.loadsRps += x.value * k;
    if (x.metric.hit !== 'miss') c.hitsRps += x.value * k;
    s.cache = c;
  }
  delete services[''];

  const calls: SystemMeasurements['calls'] = r.ackCount.map((x) => {
    const sum = r.ackSum.find((y) => y.metric.service === x.metric.service && y.metric.host === x.metric.host)?.value ?? 0;
    const timeouts = r.timeouts.find((y) => y.metric.service === x.metric.service && y.metric.host === x.metric.host)?.value ?? 0;
    return {
      from: x.metric.service ?? '',
      to: x.metric.host ?? '',
      rps: x.value * k,
      ackMeanMs: x.value > 0 ? ((sum / x.value) * 1000) / k : null,
      timeoutRps: timeouts * k,
    };
  });
  for (const t of r.timeouts) {
    if (!calls.some((c) => c.from === t.metric.service && c.to === t.metric.host))
      calls.push({ from: t.metric.service ?? '', to: t.metric.host ?? '', rps: 0, ackMeanMs: null, timeoutRps: t.value * k });
  }
  return { ok: true, measurements: { windowS: o.windowS, at, timeScale: k, services, calls, instanceZones: o.instanceZones ?? {} } };
}
