export { buildPlan, type DesPlan, type EntryStatus } from './plan.ts';
export type { DesInfo, DesResult } from './result.ts';
export { createDesRun, type DesOptions, type DesProgress, type DesRun } from './run.ts';
