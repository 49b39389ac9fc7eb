export {
  type ApplyResult,
  applyChanges,
  changePath,
  diffDocuments,
  itemKey,
  jsonEqual,
  NAMED_LISTS,
  parsePath,
  RECORD_FIELDS,
  UNCHANGED_FIELDS,
} from './changes.ts';
export { scenarioWarnings } from './check.ts';
export { crossZoneBytes, hasAdmissionLimits } from './column.ts';
export { compareScenarios, MAX_COMPARED } from './compare.ts';
export {
  BASE_SCENARIO,
  findScenario,
  optionsOf,
  type ResolvedScenario,
  resolveScenario,
  scenarioNames,
  variantFrom,
  withoutScenarios,
} from './resolve.ts';
export { comparisonRows, RELATIVE_TOLERANCE } from './rows.ts';
export type { BundleFigures, CompareOptions, Comparison, DesEntryFigures, EntryFigures, ScenarioColumn, ScenarioRow } from './types.ts';
