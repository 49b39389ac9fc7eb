export { type ApplyResult, applyChanges, changePath, diffDocuments, jsonEqual, parsePath } from './changes.ts';
export { compareScenarios } from './compare.ts';
export { BASE_SCENARIO, findScenario, optionsOf, type ResolvedScenario, resolveScenario, scenarioNames, variantFrom } from './resolve.ts';
export type { BundleFigures, CompareOptions, Comparison, EntryFigures, ScenarioColumn, ScenarioRow } from './types.ts';
