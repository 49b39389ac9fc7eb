export { applyReplicas, goalSeek } from './seek.ts';
export type {
  GoalBinding,
  GoalBundle,
  GoalConstraintKind,
  GoalObjective,
  GoalOptions,
  GoalPoint,
  GoalSeekResult,
  GoalZone,
} from './types.ts';
