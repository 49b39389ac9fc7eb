/**
 * Above the canvas while a variant is active: which variant, how many changes it holds, that the
 * base is unchanged, its what-if, the changes whose target left the base, and the way back.
 */
import { BASE_SCENARIO, findScenario } from '@busboard/core';
import { useMemo } from 'react';
import { useEditor } from '../state/editor.ts';
import { useView } from '../state/view.ts';
import { AtMinuteField } from './AtMinuteField.tsx';
import { currentWhatIf, keepWhatIf, switchScenario } from './actions.ts';
import { describeWhatIf, hasTrafficProfiles, sameWhatIf, variantConflicts } from './variants.ts';

export function VariantBanner({ onCompare }: { onCompare(): void }) {
  const scenario = useEditor((s) => s.scenario);
  const design = useEditor((s) => s.design);
  const profiles = useEditor((s) => hasTrafficProfiles(s.doc));
  // Re-render when the what-if knobs move (the "keep" offer depends on them).
  useView((s) => `${s.scale}|${s.failZones.join(',')}|${s.eventBurst}|${s.consumerOutageSeconds}`);
  const variant = design && scenario !== BASE_SCENARIO ? findScenario(design, scenario) : undefined;
  const conflicts = useMemo(() => (design && variant ? variantConflicts(design, scenario) : []), [design, variant, scenario]);
  if (!variant) return null;
  const n = (variant.changes ?? []).length;
  const what = describeWhatIf(variant.whatIf);
  const whatNow = currentWhatIf();
  const drifted = !sameWhatIf(whatNow, variant.whatIf);
  return (
    <div className="variant-banner" role="status" data-testid="variant-banner">
      <span>
        Editing variant <strong data-testid="variant-banner-name">{scenario}</strong> — <span data-testid="variant-changes">{n}</span> change
        {n === 1 ? '' : 's'} · base unchanged
      </span>
      {what && <span className="muted">what-if: {what}</span>}
      {profiles && <AtMinuteField variant={scenario} atMinute={variant.whatIf?.atMinute} />}
      {drifted && (
        <button
          type="button"
          className="small"
          onClick={keepWhatIf}
          data-testid="variant-keep-whatif"
          title="Store the what-if set in Results with this variant"
        >
          Keep this what-if ({describeWhatIf(whatNow) || 'none'}) in {scenario}
        </button>
      )}
      <button type="button" className="small" onClick={() => switchScenario(BASE_SCENARIO)} data-testid="variant-back-to-base">
        Back to base
      </button>
      <button type="button" className="small" onClick={onCompare} data-testid="variant-compare" title="This variant and the base side by side">
        Compare with base
      </button>
      {conflicts.length > 0 && (
        <details className="variant-conflicts" data-testid="variant-conflicts">
          <summary>{conflicts.length === 1 ? '1 change no longer applies' : `${conflicts.length} changes no longer apply`} to the base</summary>
          <ul>
            {conflicts.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
          <span className="muted small">Editing the variant drops them: its changes are worked out again against today's base.</span>
        </details>
      )}
    </div>
  );
}
