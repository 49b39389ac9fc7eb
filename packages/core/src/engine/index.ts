export * from './load.ts';
export { compile, type Model } from './model.ts';
export { type Dispatch, makeScenario, type Placement, place, type Scenario } from './placement.ts';
export { type Recommendation, type RecommendOptions, recommend } from './recommend/index.ts';
export { HOT_MIN_RHO, HOT_RATIO } from './results.ts';
export * from './simulate.ts';
export * from './types.ts';
export { warningTitle } from './warning-titles.ts';
