export { buildPlan, type DesPlan, type EntryStatus } from './plan.ts';
export type { DesInfo, DesResult } from './result.ts';
export { createDesRun, type DesOptions, type DesProgress, type DesRun } from './run.ts';
export {
  type DesTimelineEntrySeries,
  type DesTimelineOptions,
  type DesTimelineOutcome,
  type DesTimelineResult,
  desTimeline,
} from './timeline-run.ts';
