/**
 * The switcher's actions on the editor store: every change to the set of variants is one undo
 * step of the document (`editDesign`); switching is not (it changes what is shown, not the design).
 */
import { BASE_SCENARIO, findScenario } from '@busboard/core';
import { useEffect, useRef } from 'react';
import { useEditor } from '../state/editor.ts';
import { useToasts } from '../state/toast.ts';
import { useView } from '../state/view.ts';
import {
  knobsOf,
  nameProblem,
  sameWhatIf,
  suggestName,
  whatIfOf,
  withNewVariant,
  withoutVariant,
  withRenamedVariant,
  withVariantAtMinute,
  withVariantWhatIf,
} from './variants.ts';

const toasts = () => useToasts.getState();

/** The Results panel's current what-if, as a variant's. */
export function currentWhatIf() {
  return whatIfOf(useView.getState());
}

export function switchScenario(name: string): boolean {
  const problems = useEditor.getState().setScenario(name);
  if (problems.length) toasts().problems(`Cannot show ${name}`, problems);
  return problems.length === 0;
}

/** A new variant from what is on the canvas and the what-if set; returns its name (null: refused). */
export function newVariant(): string | null {
  const { design, doc, editDesign } = useEditor.getState();
  if (!design || !doc) return null;
  const name = suggestName(design);
  const problems = editDesign(withNewVariant(design, doc, name, currentWhatIf()), name);
  if (problems.length) {
    toasts().problems('Cannot make a variant', problems);
    return null;
  }
  return name;
}

/** Renames a variant; returns why not (null: done, or nothing to do). */
export function renameVariant(from: string, to: string): string | null {
  const { design, scenario, editDesign } = useEditor.getState();
  if (!design || to.trim() === from) return null;
  const problem = nameProblem(design, to, from);
  if (problem) return problem;
  const problems = editDesign(withRenamedVariant(design, from, to), scenario === from ? to.trim() : scenario);
  return problems[0]?.message ?? null;
}

export function deleteVariant(name: string): void {
  const { design, scenario, editDesign } = useEditor.getState();
  if (!design) return;
  const problems = editDesign(withoutVariant(design, name), scenario === name ? BASE_SCENARIO : scenario);
  if (problems.length) toasts().problems(`Cannot delete ${name}`, problems);
  else toasts().show(`Variant ${name} deleted`, ['Ctrl+Z brings it back.'], 'info');
}

/** Keeps the Results panel's what-if in the active variant (one undo step). */
export function keepWhatIf(): void {
  const { design, scenario, editDesign } = useEditor.getState();
  if (!design || scenario === BASE_SCENARIO) return;
  // The Results panel has no minute of the day: the variant's own stays.
  const atMinute = findScenario(design, scenario)?.whatIf?.atMinute;
  const whatIf = { ...currentWhatIf(), ...(atMinute !== undefined ? { atMinute } : {}) };
  editDesign(withVariantWhatIf(design, scenario, whatIf), scenario);
}

/** Sets (or, undefined, drops) the active variant's minute of the day: one undo step; false when refused. */
export function setVariantAtMinute(minute: number | undefined): boolean {
  const { design, scenario, editDesign } = useEditor.getState();
  if (!design || scenario === BASE_SCENARIO) return false;
  if (findScenario(design, scenario)?.whatIf?.atMinute === minute) return true;
  const problems = editDesign(withVariantAtMinute(design, scenario, minute), scenario);
  if (problems.length) toasts().problems('Cannot set the minute of the day', problems);
  return problems.length === 0;
}

/**
 * Whenever the active scenario changes (switched, made, undone) or its stored what-if does, the
 * Results panel's what-if follows it: the variant's own, none for the base.
 */
export function useWhatIfFollowsScenario(): void {
  const scenario = useEditor((s) => s.scenario);
  const stored = useEditor((s) => (s.design && s.scenario !== BASE_SCENARIO ? findScenario(s.design, s.scenario)?.whatIf : undefined));
  const key = JSON.stringify(stored ?? {});
  const first = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the stored what-if's content
  useEffect(() => {
    if (first.current) {
      first.current = false;
      if (scenario === BASE_SCENARIO) return;
    }
    const view = useView.getState();
    if (sameWhatIf(whatIfOf(view), stored)) return;
    useView.setState(knobsOf(stored));
  }, [scenario, key]);
}
