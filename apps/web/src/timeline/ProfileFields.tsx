/**
 * A traffic item's profile over the day (schema `traffic[].profile`): its shape and the fields
 * that shape reads, each committed as a `setTraffic` command (undo works; refusals show under
 * the field). Switching shape starts from a sensible curve and keeps `days` and `growthPerMonth`.
 */
import type { Command, Problem, TrafficIn } from '@busboard/core';
import { useEffect, useId, useState } from 'react';
import { NumberField, Problems, SelectField } from '../designer/inspector/fields.tsx';
import { useEditor } from '../state/editor.ts';
import './timeline.css';

type Profile = NonNullable<TrafficIn['profile']>;
type Shape = Profile['shape'];

/** Where a new profile of each shape starts (factor 1 = the item's rps). */
export const SHAPE_START: Record<Shape, Omit<Profile, 'shape'>> = {
  diurnal: { peakAt: 14 * 60, trough: 0.3 },
  peak: { atMinute: 12 * 60, durationMinutes: 60, factor: 2, rampMinutes: 10 },
  ramp: { startMinute: 7 * 60, endMinute: 8 * 60, from: 0.3, to: 1 },
  step: { atMinute: 7 * 60, before: 0.3, after: 1 },
  points: {
    points: [
      { atMinute: 0, factor: 0.3 },
      { atMinute: 7 * 60, factor: 1 },
      { atMinute: 20 * 60, factor: 1 },
      { atMinute: 22 * 60, factor: 0.3 },
    ],
  },
};

const LABELS: Record<string, { label: string; hint?: string }> = {
  peakAt: { label: 'Peak at minute', hint: '840 = 14:00' },
  trough: { label: 'Trough ×', hint: 'quietest, × rps' },
  atMinute: { label: 'At minute', hint: '420 = 07:00' },
  durationMinutes: { label: 'Lasts min' },
  factor: { label: 'Factor ×' },
  rampMinutes: { label: 'Ramp min' },
  startMinute: { label: 'From minute' },
  endMinute: { label: 'To minute' },
  from: { label: 'From ×' },
  to: { label: 'To ×' },
  before: { label: 'Before ×' },
  after: { label: 'After ×' },
};

const FIELDS: Record<Exclude<Shape, 'points'>, (keyof Profile)[]> = {
  diurnal: ['peakAt', 'trough'],
  peak: ['atMinute', 'durationMinutes', 'factor', 'rampMinutes'],
  ramp: ['startMinute', 'endMinute', 'from', 'to'],
  step: ['atMinute', 'before', 'after'],
};

export function ProfileFields({ index, profile }: { index: number; profile: Profile | undefined }) {
  const set = (p: Profile | undefined): Command => ({ type: 'setTraffic', index, fields: { profile: p } });
  const keep = profile
    ? {
        ...(profile.days !== undefined ? { days: profile.days } : {}),
        ...(profile.growthPerMonth !== undefined ? { growthPerMonth: profile.growthPerMonth } : {}),
      }
    : {};
  return (
    <div className="profile-fields" data-testid={`profile-${index}`}>
      <div className="field-row wrap tl-fields">
        <SelectField<Shape | 'constant'>
          label="Over the day"
          value={profile?.shape ?? 'constant'}
          testId={`field-profile-shape-${index}`}
          options={[
            { value: 'constant', label: 'constant (rps all day)' },
            { value: 'diurnal', label: 'diurnal' },
            { value: 'peak', label: 'peak' },
            { value: 'ramp', label: 'ramp' },
            { value: 'step', label: 'step' },
            { value: 'points', label: 'points (a curve)' },
          ]}
          command={(shape) => set(shape === 'constant' ? undefined : ({ shape, ...SHAPE_START[shape], ...keep } as Profile))}
        />
        {profile &&
          profile.shape !== 'points' &&
          FIELDS[profile.shape].map((f) => (
            <NumberField
              key={f}
              label={LABELS[f]?.label ?? f}
              hint={LABELS[f]?.hint}
              value={profile[f] as number | undefined}
              optional={f === 'rampMinutes'}
              testId={`field-profile-${f}-${index}`}
              command={(v) => set({ ...profile, [f]: v })}
            />
          ))}
        {profile && (
          <>
            <NumberField
              label="Days"
              value={profile.days}
              optional
              step={1}
              min={1}
              hint="empty: one"
              testId={`field-profile-days-${index}`}
              command={(v) => set({ ...profile, days: v })}
            />
            <NumberField
              label="Growth / month"
              value={profile.growthPerMonth}
              optional
              hint="0.05 = +5 %"
              testId={`field-profile-growth-${index}`}
              command={(v) => set({ ...profile, growthPerMonth: v })}
            />
          </>
        )}
      </div>
      {profile?.shape === 'points' && <PointsField index={index} profile={profile} />}
    </div>
  );
}

/** `minute=factor` pairs, comma-separated ("0=0.3, 420=1"): committed on Enter or blur. */
function PointsField({ index, profile }: { index: number; profile: Profile }) {
  const id = useId();
  const text = (profile.points ?? []).map((p) => `${p.atMinute}=${p.factor}`).join(', ');
  const [draft, setDraft] = useState<string | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  // An outside change (undo, another panel) replaces a stale draft.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when the stored points change
  useEffect(() => {
    setDraft(null);
    setProblems([]);
  }, [text]);
  const commit = () => {
    if (draft === null || draft === text) return;
    const points: { atMinute: number; factor: number }[] = [];
    for (const part of draft
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const [m, f] = part.split('=').map((s) => Number(s.trim()));
      if (!part.includes('=') || !Number.isFinite(m) || !Number.isFinite(f))
        return setProblems([{ path: '', message: `"${part}" is not minute=factor (e.g. 420=1 for × 1 at 07:00)` }]);
      points.push({ atMinute: m as number, factor: f as number });
    }
    const found = useEditor.getState().dispatch({ type: 'setTraffic', index, fields: { profile: { ...profile, points } } });
    setProblems(found);
    if (!found.length) setDraft(null);
  };
  return (
    <div className="field">
      <label htmlFor={id}>Points (minute=factor, …)</label>
      <input
        id={id}
        value={draft ?? text}
        data-testid={`field-profile-points-${index}`}
        aria-invalid={problems.length > 0}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
      />
      <div className="field-hint">Linear between points, wrapping round midnight; factor 1 = the item's rps.</div>
      <Problems problems={problems} />
    </div>
  );
}
