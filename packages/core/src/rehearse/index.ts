export {
  measuredAtBusiest,
  type RehearsalErrors,
  rehearsalErrors,
  rehearsalRows,
  relativeError,
  type TargetCheck,
  type TargetSummary,
  targetSummary,
} from './compare.ts';
export {
  emptyHistogram,
  type HistogramData,
  histogramCv,
  histogramMean,
  histogramQuantile,
  mergeHistograms,
  recordSample,
  scaleHistogram,
} from './histogram.ts';
export {
  type EndpointAddress,
  endpointAddress,
  type PlanOptions,
  type PlanResult,
  type RehearsalCall,
  type RehearsalPlan,
  type RehearsalReplica,
  type RehearsalServer,
  type RehearsalService,
  type RehearsalStep,
  rehearsalPlan,
} from './plan.ts';
export type {
  DatabaseReport,
  EntryCounters,
  GeneratorReport,
  HopCounters,
  ReplicaReport,
  ServiceCounters,
  ShardCounters,
  TimerCounters,
} from './reports.ts';
export {
  type EmulatorOverhead,
  type Measured,
  type MeasuredEntry,
  type MeasuredPercentiles,
  type MeasuredReplica,
  type MeasuredService,
  type MeasuredShard,
  summarize,
} from './summarize.ts';
