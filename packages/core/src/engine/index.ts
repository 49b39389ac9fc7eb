export { FILE_RECORD_OVERHEAD, MEMORY_RECORD_OVERHEAD, placeStream, recordBytes, usesAsync } from './async-model.ts';
export type {
  AsyncResult,
  AsyncWhatIf,
  ConsumerResult,
  EntryEvents,
  EventLatency,
  StreamReplicaLoad,
  StreamResult,
  SubjectFlow,
  SubscriptionResult,
} from './async-types.ts';
export {
  type AutoFigure,
  type AutoOptions,
  type AutoResult,
  autoCrossCheck,
  combineAuto,
  type FigureKey,
  needsCrossCheck,
  type Trusted,
  trustOf,
} from './auto.ts';
export { MICROBUS_ACK_TIMEOUT_MS, MICROBUS_HOP_MS } from './budget.ts';
export { adviceWarnings, designWarnings, type ReplicaAdvice, replicaAdviceFrom } from './design-warnings.ts';
export { type GoodputOptions, type GoodputPoint, type GoodputSweep, goodputSweep, withoutRetries } from './goodput.ts';
export { describeBinding, limitsOf } from './limits.ts';
export { serviceLoad, topologicalOrder } from './load.ts';
export { compile, type Model } from './model.ts';
export { type Dispatch, makeScenario, type Placement, place, type Scenario } from './placement.ts';
export {
  type BundleAdvice,
  type Recommendation,
  type RecommendOptions,
  recommend,
  type ZoneAdvice,
  type ZoneConstraint,
} from './recommend/index.ts';
export { HOT_MIN_RHO, HOT_RATIO } from './results.ts';
export { attemptFailure, MAX_ITERATIONS as RETRY_MAX_ITERATIONS } from './retries.ts';
export { attempts, backoffBefore, type RetryPolicy, retryPolicy } from './retry-policy.ts';
export { natsServerName, replicaName } from './server-names.ts';
export { modelOf, simulate, simulateModel } from './simulate.ts';
export { sloWarnings } from './slo-warnings.ts';
export { type ClassMethod, classNames, classSlo, usesClasses } from './traffic-classes.ts';
export type {
  Binding,
  BrokerResult,
  BundleResult,
  Constraint,
  DatabaseResult,
  EntryClassResult,
  EntryResult,
  Method,
  Percentiles,
  QueueMethod,
  ReplicaResult,
  ServiceClassResult,
  ServiceResult,
  ShardResult,
  SimulateOptions,
  SimulationResult,
  SloCheck,
  Validity,
  ValidityCode,
  ValidityNote,
  Warning,
} from './types.ts';
export { warningTitle } from './warning-titles.ts';
