export * from './auto.ts';
export * from './design-warnings.ts';
export { describeBinding, limitsOf } from './limits.ts';
export * from './load.ts';
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
export * from './simulate.ts';
export * from './types.ts';
export { warningTitle } from './warning-titles.ts';
