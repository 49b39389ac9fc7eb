/**
 * The HorizontalPodAutoscaler the export writes for one Deployment, and the check that the day
 * the timeline simulates with it keeps the SLOs (issue 19). A bundle with `autoscale` (or the
 * chosen `autoscalePolicies[]` entry's) gets exactly the autoscaler the timeline simulates:
 * the CPU Resource metric at `targetUtilization`, the custom Pods metric (`inFlight`,
 * `queueDepth`) at `target` beside it, `behavior` with Kubernetes' defaults written out, and
 * min/max per zone Deployment. A bundle without one gets Busboard's suggestion (min = the
 * design's count, max twice that, CPU aimed at the engine's target ρ), which the timeline does
 * not simulate (it holds such a bundle at its count): the comment says so.
 */
import type { Warning } from '../engine/types.ts';
import type { AutoscaleT } from '../schema/over-time.ts';
import type { Topology } from '../schema/topology.ts';
import { type HpaRules, hpaSpec } from '../timeline/hpa.ts';
import { dayClock } from '../timeline/profile.ts';
import { autoscalersFor, timeline } from '../timeline/run.ts';
import type { ExportProblem, MicrobusVersion } from './types.ts';

export interface HpaPlan {
  min: number;
  max: number;
  cpuPercent: number;
  /** The per-replica custom metric beside CPU (Pods metric, average value), when the autoscale has one. */
  custom: { metric: 'inFlight' | 'queueDepth'; target: number } | null;
  scaleUp: HpaRules;
  scaleDown: HpaRules;
  /** The sync period the timeline simulated (Kubernetes': the controller's flag, 15 s by default). */
  syncPeriodSeconds: number;
  /** Whether the timeline simulates this autoscaler (the document's own, or the chosen policy's). */
  simulated: boolean;
  /** Where the numbers come from, written into the YAML as a comment. */
  why: string;
}

/** Busboard's suggestion for a bundle without autoscale: scale up fast, down slowly. */
const SUGGESTED_UP: HpaRules = { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 30 }] };
const SUGGESTED_DOWN: HpaRules = {
  stabilizationWindowSeconds: 300,
  selectPolicy: 'Max',
  policies: [
    { type: 'Percent', value: 10, periodSeconds: 60 },
    { type: 'Pods', value: 1, periodSeconds: 60 },
  ],
};

/** The custom metrics' names: Microbus exposes neither, so a Prometheus adapter must serve them (`customMetricNote`). */
export const CUSTOM_METRIC_NAMES = { inFlight: 'busboard_in_flight_requests', queueDepth: 'busboard_queue_depth' } as const;

/** The autoscaler of a Deployment over `k` zones, from the document's autoscale (`k` = 1: one zone's Deployment, as simulated). */
export function hpaFromAutoscale(a: AutoscaleT, k: number, policy: string | null): HpaPlan {
  const spec = hpaSpec(a);
  const custom = a.metric && a.metric !== 'cpu' && a.target !== undefined ? { metric: a.metric, target: a.target } : null;
  const source = policy === null ? "the design's autoscale" : `autoscale policy "${policy}"`;
  return {
    min: a.min * k,
    max: Math.max(a.max * k, a.min * k),
    cpuPercent: Math.max(1, Math.round(a.targetUtilization * 100)),
    custom,
    scaleUp: spec.scaleUp,
    scaleDown: spec.scaleDown,
    syncPeriodSeconds: spec.syncPeriodSeconds,
    simulated: k === 1,
    why: `from ${source} (min ${a.min}, max ${a.max} per zone${k > 1 ? `, × ${k} zones` : ''}, CPU target ${Math.round(a.targetUtilization * 100)} %${custom ? `, ${custom.metric} ${custom.target} per replica` : ''})`,
  };
}

export function suggestedHpa(replicas: number, cpuPercent: number, why: string): HpaPlan {
  return {
    min: replicas,
    max: replicas * 2,
    cpuPercent,
    custom: null,
    scaleUp: SUGGESTED_UP,
    scaleDown: SUGGESTED_DOWN,
    syncPeriodSeconds: 15,
    simulated: false,
    why: `min = the design's ${replicas}, max = twice that; ${why}`,
  };
}

/** `1.2` → `"1200m"`, `3` → `"3"`: a Kubernetes quantity. */
export function quantity(x: number): string {
  return Number.isInteger(x) ? String(x) : `${Math.round(x * 1000)}m`;
}

/** The HPA's `spec.metrics` and `spec.behavior`. */
export function hpaMetricsAndBehavior(hpa: HpaPlan): { metrics: unknown[]; behavior: unknown } {
  const metrics: unknown[] = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: hpa.cpuPercent } } }];
  if (hpa.custom)
    metrics.push({
      type: 'Pods',
      pods: { metric: { name: CUSTOM_METRIC_NAMES[hpa.custom.metric] }, target: { type: 'AverageValue', averageValue: quantity(hpa.custom.target) } },
    });
  const rules = (r: HpaRules) => ({ stabilizationWindowSeconds: r.stabilizationWindowSeconds, selectPolicy: r.selectPolicy, policies: r.policies });
  return { metrics, behavior: { scaleUp: rules(hpa.scaleUp), scaleDown: rules(hpa.scaleDown) } };
}

/** The comment lines above an HPA: what the timeline simulated, and where a custom metric comes from. */
export function hpaComment(hpa: HpaPlan, microbus: MicrobusVersion): string[] {
  const out: string[] = [];
  out.push(
    hpa.simulated
      ? `Simulated by \`busboard timeline\` as written here${hpa.syncPeriodSeconds !== 15 ? `, with a ${hpa.syncPeriodSeconds} s sync period (set the controller's --horizontal-pod-autoscaler-sync-period to match; Kubernetes' default is 15 s)` : ''}.`
      : "Not simulated by `busboard timeline` (it holds this bundle's count fixed): give the bundle an autoscale to simulate it.",
  );
  if (hpa.custom) out.push(...customMetricNote(hpa.custom.metric, microbus));
  return out;
}

/**
 * Microbus exposes no in-flight or queue-depth gauge (its metrics are request-duration
 * histograms, uptime, cache and timeout counters), so the custom metric needs a Prometheus
 * adapter rule (or KEDA) that serves it per pod.
 */
export function customMetricNote(metric: 'inFlight' | 'queueDepth', microbus: MicrobusVersion): string[] {
  const histogram = microbus === 'v1' ? 'microbus_response_duration_seconds' : 'microbus_server_request_duration_seconds';
  const name = CUSTOM_METRIC_NAMES[metric];
  return metric === 'inFlight'
    ? [
        `${name}: Microbus exposes no in-flight gauge; serve this per-pod metric through a Prometheus adapter (custom.metrics.k8s.io).`,
        `By Little's law a pod's average requests in flight = its handler seconds per second: sum by (pod) (rate(${histogram}_sum[1m])).`,
      ]
    : [
        `${name}: Microbus exposes no queue-depth gauge; the application must export one (requests waiting for a worker), served per pod through a Prometheus adapter (custom.metrics.k8s.io).`,
      ];
}

/** Each bundle's autoscaler as exported: the chosen policy's, or the bundles' own (and a problem at `policy` when there is no such policy). */
export function exportedAutoscalers(doc: Topology, policy: string | undefined, problems: ExportProblem[]): (AutoscaleT | null)[] {
  const picked = autoscalersFor(doc, policy);
  if (picked.ok) return picked.autoscalers;
  problems.push({ path: 'policy', message: picked.problems.map((p) => p.message).join('; ') });
  return doc.bundles.map((b) => b.autoscale ?? null);
}

/** Whether the document describes a day (profiles or timeline events): only then is there a day to simulate. */
export function describesDay(doc: Topology): boolean {
  return doc.traffic.some((t) => t.profile !== undefined) || (doc.timeline ?? []).length > 0;
}

/**
 * The warning when the analytic timeline with the exported autoscalers misses an SLO: which
 * entry, percentile and limit, the first minutes and their figures (e.g. "P95 300 ms at 07:03
 * (321 ms)"). Null when the day keeps every SLO, or when there is no day to simulate.
 */
export function daySloWarning(doc: Topology, policy: string | undefined): Warning | null {
  if (!describesDay(doc)) return null;
  // As `busboard timeline` runs by default: interpolated on the rate grid within 1 %.
  const r = timeline(doc, { policy, tolerance: 0.01 });
  if (!r.ok) return null;
  const tl = r.timeline;
  if (tl.totals.sloMinutesMissed === 0) return null;
  const label = policy === undefined ? "the bundles' own autoscalers" : `autoscale policy "${policy}"`;
  const parts: string[] = [];
  for (const e of doc.traffic) {
    const s = tl.series.entries[e.entry];
    if (!s || parts.some((p) => p.startsWith(`${e.entry} `))) continue;
    for (const slo of doc.slo.filter((x) => x.entry === e.entry && x.class === undefined)) {
      for (const pct of ['p50', 'p95', 'p99'] as const) {
        const limit = slo[`${pct}Ms`];
        if (limit === undefined) continue;
        const values = s[`${pct}Ms`];
        const misses: string[] = [];
        let count = 0;
        values.forEach((v, m) => {
          if (s.sloMet[m] !== false) return;
          if (v !== null && v <= limit) return;
          count++;
          if (misses.length < 4) misses.push(`${dayClock(m)} (${v === null ? 'saturated' : `${Math.round(v)} ms`})`);
        });
        if (count)
          parts.push(
            `${e.entry} ${pct.toUpperCase()} ${limit} ms at ${misses.join(', ')}${count > misses.length ? ` and ${count - misses.length} more minutes` : ''}`,
          );
      }
    }
  }
  const detail = parts.length ? parts.join('; ') : `${tl.totals.sloMinutesMissed} minutes (rejections or time-outs over budget)`;
  return {
    code: 'hpa-day-slo',
    path: policy === undefined ? 'bundles' : 'autoscalePolicies',
    message: `with ${label}, the simulated day (busboard timeline${policy === undefined ? '' : ` --policy ${policy}`}, pointwise-stationary) misses ${detail}: ${tl.totals.sloMinutesMissed} minute${tl.totals.sloMinutesMissed === 1 ? '' : 's'} over SLO`,
  };
}

/**
 * The export's warnings about the day: spread Deployments whose one autoscaler over several zones
 * is not what the timeline simulates (one per zone), and the day's SLO misses with the exported
 * autoscalers. Nothing when no bundle has an autoscale to simulate.
 */
export function hpaDayWarnings(
  doc: Topology,
  bundles: { index: number; bundle: { name: string }; deployments: { hpa: HpaPlan | null }[] }[],
  autoscales: (AutoscaleT | null)[],
  policy: string | undefined,
): Warning[] {
  if (!autoscales.some((a) => a !== null)) return [];
  const out: Warning[] = [];
  const spread = bundles.filter((b) => autoscales[b.index] && b.deployments.some((d) => d.hpa && !d.hpa.simulated));
  if (spread.length)
    out.push({
      code: 'hpa-not-simulated',
      path: 'cloud',
      message: `spread Deployments (${spread.map((b) => b.bundle.name).join(', ')}) get one autoscaler over all their zones, while busboard timeline simulates one per zone: the day it shows is not what these autoscalers do; export without --cloud to get the simulated ones`,
    });
  const day = daySloWarning(doc, policy);
  if (day) out.push(day);
  return out;
}
