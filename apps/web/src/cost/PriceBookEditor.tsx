/**
 * The price book (the document's `cost`): a preset and any figure overriding it. An empty field
 * takes the preset's figure (shown as its placeholder). Every change is one undoable edit
 * (`setCost`); the schema refuses a bad figure with its path, and the field keeps what was typed.
 */
import { COST_PRESETS, type CostPresetName, PRICE_PRESETS, type PriceBookT, type Problem, type ResolvedPrices } from '@busboard/core';
import { useEffect, useId, useState } from 'react';
import { Problems } from '../designer/inspector/fields.tsx';
import { useEditor } from '../state/editor.ts';

type Figure =
  | 'vcpuHour'
  | 'gibHour'
  | 'natsServerHour'
  | 'dbVcpuHour'
  | 'storageGBMonth'
  | 'crossZonePerGB'
  | 'crossRegionPerGB'
  | 'requestBytes'
  | 'responseBytes';

const NONE: PriceBookT = {};

const FIELDS: { key: Figure; label: string }[] = [
  { key: 'vcpuHour', label: 'per vCPU-hour' },
  { key: 'gibHour', label: 'per GiB-hour' },
  { key: 'natsServerHour', label: 'per NATS server-hour' },
  { key: 'dbVcpuHour', label: 'per shard vCPU-hour' },
  { key: 'storageGBMonth', label: 'per GB-month stored' },
  { key: 'crossZonePerGB', label: 'per GB across zones' },
  { key: 'crossRegionPerGB', label: 'per GB across regions' },
  { key: 'requestBytes', label: 'request bytes per call' },
  { key: 'responseBytes', label: 'response bytes per call' },
];

function FigureField({ figure, label, own, preset }: { figure: Figure; label: string; own: number | undefined; preset: number | null }) {
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  // Undo or a preset change replaces a stale draft.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when the stored value changes
  useEffect(() => {
    setDraft(null);
    setProblems([]);
  }, [own]);
  const commit = (value: number | undefined, text: string) => {
    const found = useEditor.getState().dispatch({ type: 'setCost', fields: { [figure]: value } as Partial<PriceBookT> }, `cost:${figure}`);
    setProblems(found);
    setDraft(found.length ? text : null);
  };
  return (
    <div className="field cost-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        step="any"
        min={0}
        value={draft ?? (own === undefined ? '' : String(own))}
        placeholder={preset === null ? 'not priced' : String(preset)}
        data-testid={`cost-field-${figure}`}
        aria-invalid={problems.length > 0}
        className={own === undefined ? '' : 'cost-own'}
        title={own === undefined ? 'the preset’s figure: type to set your own' : 'your figure: empty it to go back to the preset’s'}
        onChange={(e) => {
          const text = e.target.value;
          setDraft(text);
          if (text.trim() === '') return commit(undefined, text);
          const n = Number(text);
          if (!Number.isFinite(n)) return setProblems([{ path: '', message: `"${text}" is not a number` }]);
          commit(n, text);
        }}
      />
      <Problems problems={problems} />
    </div>
  );
}

export function PriceBookEditor({ prices }: { prices: ResolvedPrices }) {
  // Select the stored object itself: a fresh `{}` per call would re-render forever.
  const own: PriceBookT = useEditor((s) => s.doc?.cost) ?? NONE;
  const preset = PRICE_PRESETS[prices.preset];
  const dispatch = (fields: Partial<PriceBookT>) => useEditor.getState().dispatch({ type: 'setCost', fields });
  const overridden = FIELDS.some((f) => own[f.key] !== undefined);
  return (
    <details className="cost-book" data-testid="price-book">
      <summary>Price book</summary>
      <div className="field">
        <label htmlFor="cost-preset">preset</label>
        <select
          id="cost-preset"
          data-testid="cost-preset"
          value={prices.preset}
          onChange={(e) => dispatch({ preset: e.target.value as CostPresetName })}
        >
          {COST_PRESETS.map((p) => (
            <option key={p} value={p}>
              {PRICE_PRESETS[p].label} (as of {PRICE_PRESETS[p].asOf})
            </option>
          ))}
        </select>
        <div className="field-hint">
          List prices as of {preset.asOf}; check your provider. {preset.source}.
        </div>
      </div>
      <p className="muted small">
        {prices.currency} · empty fields take the preset’s figure{overridden ? '' : ' (this design sets none)'}
      </p>
      <div className="cost-fields">
        {FIELDS.map((f) => (
          <FigureField key={f.key} figure={f.key} label={f.label} own={own[f.key]} preset={f.key === 'dbVcpuHour' ? null : preset[f.key]} />
        ))}
      </div>
      {overridden && (
        <button
          type="button"
          data-testid="cost-reset"
          onClick={() => dispatch(Object.fromEntries(FIELDS.map((f) => [f.key, undefined])) as Partial<PriceBookT>)}
        >
          Use the preset’s figures
        </button>
      )}
    </details>
  );
}
