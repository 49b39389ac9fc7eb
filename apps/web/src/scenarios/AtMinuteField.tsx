/**
 * The variant banner's minute of the day (`whatIf.atMinute`): the variant's traffic taken at that
 * minute of its profiles. Typed as HH:MM and stored on Enter or leaving the field (one undo step);
 * empty means no minute (each item's rps as the document gives it). Shown only when the design
 * has traffic profiles.
 */
import { useEffect, useState } from 'react';
import { setVariantAtMinute } from './actions.ts';
import { formatMinuteOfDay, parseMinuteOfDay } from './variants.ts';

export function AtMinuteField({ variant, atMinute }: { variant: string; atMinute: number | undefined }) {
  const stored = atMinute === undefined ? '' : formatMinuteOfDay(atMinute);
  const [text, setText] = useState(stored);
  // Follow the stored value (undo, redo, another variant).
  // biome-ignore lint/correctness/useExhaustiveDependencies: `variant` resets the draft when switching
  useEffect(() => setText(stored), [stored, variant]);
  const parsed = parseMinuteOfDay(text);
  const invalid = parsed === null;
  const commit = () => {
    if (invalid) return;
    if (!setVariantAtMinute(parsed)) setText(stored);
  };
  return (
    <span className="variant-at-minute">
      <label>
        Traffic at{' '}
        <input
          type="text"
          inputMode="numeric"
          placeholder="HH:MM"
          size={5}
          value={text}
          aria-invalid={invalid || undefined}
          title={
            invalid
              ? 'A minute of the day as HH:MM, 00:00 to 23:59 (empty: the rps the document gives)'
              : "This variant's traffic at this minute of its profiles (empty: the rps the document gives)"
          }
          onChange={(e) => setText(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
            if (e.key === 'Escape') setText(stored);
          }}
          data-testid="variant-at-minute"
        />
      </label>
      {invalid && <span className="error small">use HH:MM</span>}
      {atMinute !== undefined && (
        <button
          type="button"
          className="link small"
          onClick={() => setVariantAtMinute(undefined)}
          title="Drop the minute of the day: the rps the document gives"
          data-testid="variant-at-minute-clear"
        >
          all day
        </button>
      )}
    </span>
  );
}
