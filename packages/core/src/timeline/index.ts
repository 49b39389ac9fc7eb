export { Deployment, type Startup, startupOf } from './deployment.ts';
export {
  HPA_SYNC_SECONDS,
  HPA_TOLERANCE,
  type HpaRules,
  type HpaSpec,
  type HpaState,
  hpaSpec,
  hpaState,
  hpaSync,
  type MetricReading,
  metricProposal,
  scaleDownLimit,
  scaleUpLimit,
} from './hpa.ts';
export { clockOfDay, curveAt, dayClock, profileFactor, timelineMinutes } from './profile.ts';
export { RELAXATION_LIMIT_S } from './record.ts';
export { autoscalersFor, type TimelineOutcome, timeline } from './run.ts';
export type {
  ScaleEvent,
  TimelineBundleSeries,
  TimelineEntrySeries,
  TimelineOptions,
  TimelineResult,
  TimelineTotals,
  TimelineZoneSeries,
} from './types.ts';
