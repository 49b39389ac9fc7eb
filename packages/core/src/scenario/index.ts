export { type ApplyResult, applyChanges, changePath, diffDocuments, jsonEqual, parsePath } from './changes.ts';
export { crossZoneBytes, hasAdmissionLimits } from './column.ts';
export { compareScenarios, MAX_COMPARED } from './compare.ts';
export { BASE_SCENARIO, findScenario, optionsOf, type ResolvedScenario, resolveScenario, scenarioNames, variantFrom } from './resolve.ts';
export { comparisonRows, RELATIVE_TOLERANCE } from './rows.ts';
export type { BundleFigures, CompareOptions, Comparison, DesEntryFigures, EntryFigures, ScenarioColumn, ScenarioRow } from './types.ts';
