/**
 * Schema v3, over time (issue 19): traffic profiles, Kubernetes HPA v2 autoscaling, pod start
 * delay and warm-up, and what-if events on a timeline. Every field is optional, so every v3
 * document stays valid; a document without them describes one steady instant, as before.
 * The timeline that reads them is packages/core/src/timeline/ (its README says how).
 */
import { z } from 'zod';
import { LIMITS } from './limits.ts';

const name = () => z.string().trim().min(1, 'must not be empty');
const limit = (max: number, unit = '') =>
  `at most ${max.toLocaleString('en-US')}${unit}: Busboard's limit (README "Limits"); a larger value is almost surely a typo`;
/** A minute of the day, 0 (midnight) to 1440 (the next midnight). */
const minuteOfDay = () =>
  z.number().finite().min(0, 'a minute of the day: 0 (00:00) to 1440 (24:00)').max(1440, 'a minute of the day: 0 (00:00) to 1440 (24:00)');
/** A multiple of the traffic item's `rps` (1 = the rps the document gives). */
const factor = () => z.number().finite().nonnegative().max(LIMITS.profileFactor, limit(LIMITS.profileFactor, '× rps'));
const seconds = (max: number) => z.number().finite().nonnegative().max(max, limit(max, ' s'));

/** A point of a profile: at `atMinute` of the day the item sends `factor` × its rps. */
export const ProfilePoint = z.strictObject({ atMinute: minuteOfDay(), factor: factor() });

/**
 * A traffic item's 24-hour curve: each minute it sends `factor(t)` × its `rps`. `shape` says
 * which fields it reads (validate-over-time.ts requires them and refuses the others):
 * - `points`: `points`, linear between them, wrapping around midnight (one point = constant).
 * - `diurnal`: `peakAt`, `trough`: a cosine day, 1 at `peakAt`, `trough` twelve hours away.
 * - `peak`: `atMinute`, `durationMinutes`, `factor`, `rampMinutes`: 1 all day but `factor` for
 *   `durationMinutes` from `atMinute`, reached and left linearly in `rampMinutes` (absent: 0).
 * - `ramp`: `startMinute`, `endMinute`, `from`, `to`: `from` until `startMinute`, linear to `to`
 *   at `endMinute`, `to` after.
 * - `step`: `atMinute`, `before`, `after`: `before` until `atMinute`, `after` from then on.
 * `days`: how many days the timeline runs, the curve repeating (absent: 1); `growthPerMonth`:
 * traffic growth per 30 days, compounded continuously (0.05 = +5 % a month; absent: none).
 */
export const TrafficProfile = z.strictObject({
  shape: z.enum(['points', 'diurnal', 'peak', 'ramp', 'step']),
  points: z.array(ProfilePoint).min(1, 'a curve needs at least one point').optional(),
  peakAt: minuteOfDay().optional(),
  trough: z.number().finite().nonnegative().max(1, 'at most 1 (the factor at the quietest minute; the peak is 1)').optional(),
  atMinute: minuteOfDay().optional(),
  durationMinutes: z.number().finite().positive().max(1440, 'at most 1440 (a day)').optional(),
  factor: factor().optional(),
  rampMinutes: z.number().finite().nonnegative().max(720, 'at most 720 (half a day)').optional(),
  startMinute: minuteOfDay().optional(),
  endMinute: minuteOfDay().optional(),
  from: factor().optional(),
  to: factor().optional(),
  before: factor().optional(),
  after: factor().optional(),
  days: z.number().int().positive().max(LIMITS.timelineDays, limit(LIMITS.timelineDays, ' days')).optional(),
  growthPerMonth: z
    .number()
    .finite()
    .min(-0.99, 'at least -0.99 (a fraction: -0.1 is −10 % a month)')
    .max(10, 'at most 10 (+1,000 % a month)')
    .optional(),
});

/** The fields each profile shape needs (required) and reads (no others but days and growthPerMonth). */
export const PROFILE_FIELDS: Record<TrafficProfileT['shape'], { needs: string[]; reads: string[] }> = {
  points: { needs: ['points'], reads: [] },
  diurnal: { needs: ['peakAt', 'trough'], reads: [] },
  peak: { needs: ['atMinute', 'durationMinutes', 'factor'], reads: ['rampMinutes'] },
  ramp: { needs: ['startMinute', 'endMinute', 'from', 'to'], reads: [] },
  step: { needs: ['atMinute', 'before', 'after'], reads: [] },
};

/** One of Kubernetes' HPA scaling policies: at most `value` pods, or `value` %, per `periodSeconds`. */
export const ScalingPolicy = z.strictObject({
  type: z.enum(['Pods', 'Percent']),
  value: z.number().int().positive().max(LIMITS.totalReplicas, limit(LIMITS.totalReplicas)),
  periodSeconds: z.number().int().positive().max(1800, "at most 1800 (Kubernetes' own limit: 30 minutes)"),
});

/**
 * Kubernetes' `HPAScalingRules` for one direction. Absent fields take Kubernetes' defaults:
 * scale-up window 0 s, policies 4 pods or 100 % per 15 s; scale-down window 300 s, 100 % per 15 s;
 * selectPolicy Max (the policy that allows the larger change).
 */
export const ScalingRules = z.strictObject({
  stabilizationWindowSeconds: z.number().int().nonnegative().max(3600, "at most 3600 (Kubernetes' own limit: one hour)").optional(),
  selectPolicy: z.enum(['Max', 'Min', 'Disabled']).optional(),
  policies: z.array(ScalingPolicy).min(1, 'at least one policy (Kubernetes discards rules without one)').optional(),
});

/** Kubernetes' `HorizontalPodAutoscalerBehavior`. */
export const ScalingBehavior = z.strictObject({ scaleUp: ScalingRules.optional(), scaleDown: ScalingRules.optional() });

/**
 * A bundle's autoscaler, as Kubernetes HPA v2 has it, one per zone's Deployment (as the export
 * writes them: `min`/`max` bound each zone). `targetUtilization` is the CPU target (a fraction
 * of the bundle's `cpu`). With `metric` `inFlight` (requests a replica holds) or `queueDepth`
 * (requests waiting for a worker), the HPA also scales on that per-replica custom metric with
 * average value `target`, and takes the larger recommendation of the two, as Kubernetes does
 * with several metrics. `syncPeriodSeconds`: the controller's period (absent: 15 s).
 */
export const Autoscale = z.strictObject({
  min: z.number().int().positive().max(LIMITS.totalReplicas, limit(LIMITS.totalReplicas)),
  max: z.number().int().positive().max(LIMITS.totalReplicas, limit(LIMITS.totalReplicas)),
  targetUtilization: z.number().finite().positive().max(1),
  metric: z.enum(['cpu', 'inFlight', 'queueDepth']).optional(),
  target: z.number().finite().positive().max(LIMITS.maxInFlight, limit(LIMITS.maxInFlight)).optional(),
  behavior: ScalingBehavior.optional(),
  syncPeriodSeconds: z.number().int().positive().max(600, 'at most 600 s').optional(),
});

/** How a bundle's new replica starts: not ready for `delaySeconds`, then `warmupFactor` × slower for `warmupSeconds`. */
export const Startup = z.strictObject({
  delaySeconds: seconds(3600).optional(),
  warmupSeconds: seconds(3600).optional(),
  warmupFactor: z.number().finite().min(1, 'at least 1 (own times during warm-up are this many times longer)').max(100, 'at most 100').optional(),
});

/**
 * A named alternative to the bundles' own autoscalers, for comparing policies on the same day
 * (`busboard timeline --policy NAME`): `bundles` maps a bundle name to the autoscaler it gets
 * under this policy; the bundles it does not name keep their own.
 */
export const AutoscalePolicy = z.strictObject({
  name: name(),
  description: z.string().optional(),
  bundles: z.record(z.string(), Autoscale),
});

/**
 * A what-if on the timeline: at `atMinute` (counted from the start of the first day) zone
 * `failZone` fails (its replicas and NATS servers are gone), or zone `restoreZone` comes back
 * (its replicas start again, after their start delay). Exactly one of the two.
 */
export const TimelineEvent = z.strictObject({
  atMinute: z
    .number()
    .finite()
    .nonnegative()
    .max(LIMITS.timelineDays * 1440, limit(LIMITS.timelineDays * 1440, ' minutes')),
  failZone: name().optional(),
  restoreZone: name().optional(),
});

export type TrafficProfileT = z.output<typeof TrafficProfile>;
export type ScalingPolicyT = z.output<typeof ScalingPolicy>;
export type ScalingRulesT = z.output<typeof ScalingRules>;
export type ScalingBehaviorT = z.output<typeof ScalingBehavior>;
export type AutoscaleT = z.output<typeof Autoscale>;
export type StartupT = z.output<typeof Startup>;
export type AutoscalePolicyT = z.output<typeof AutoscalePolicy>;
export type TimelineEventT = z.output<typeof TimelineEvent>;
