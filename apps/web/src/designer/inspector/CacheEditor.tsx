/**
 * A service's cache. A planner knows "90 % hits", not how many entries that takes: the
 * target hit rate is solved back to entries per replica with Che's approximation for the
 * cache's key space and popularity skew (core `cacheEntriesForHitRate`), and the hit rate
 * those entries achieve is shown beside it. Entries, key space and skew stay editable.
 */
import { cacheEntriesForHitRate, cheHitRate, type Problem, type ServiceT } from '@busboard/core';
import { useId, useState } from 'react';
import { useDesign } from '../../design/context.ts';
import { useEditor } from '../../state/editor.ts';
import { useToasts } from '../../state/toast.ts';
import { NumberField, Problems, runCommand, Section, SelectField } from './fields.tsx';

type CacheT = NonNullable<ServiceT['cache']>;

const DEFAULT_CACHE: CacheT = { scope: 'distributed', entriesPerReplica: 10_000, keySpace: 1_000_000, zipf: 1, hitTimeMs: 0.2 };

const percent = (h: number) => `${(Math.floor(h * 1000) / 10).toFixed(1)} %`;

export function CacheEditor({ service }: { service: ServiceT }) {
  const { doc } = useDesign();
  const toast = useToasts((s) => s.problems);
  const name = service.name;
  const cache = service.cache;
  const bundle = doc.bundles.find((b) => b.services.includes(name));
  const replicas = Object.values(bundle?.replicas ?? {}).reduce((a, b) => a + b, 0);
  const setCache = (fields: Partial<CacheT>) => (cache ? ({ type: 'setService', name, fields: { cache: { ...cache, ...fields } } } as const) : null);
  return (
    <Section
      title="Cache"
      actions={
        <label className="toggle">
          <input
            type="checkbox"
            checked={cache !== undefined}
            data-testid="field-cache-on"
            onChange={(e) =>
              runCommand(
                { type: 'setService', name, fields: { cache: e.target.checked ? DEFAULT_CACHE : undefined } },
                'Cannot change the cache',
                toast,
              )
            }
          />{' '}
          cached
        </label>
      }
    >
      {cache ? (
        <>
          <TargetHitRate name={name} cache={cache} replicas={replicas} />
          <SelectField
            label="Scope"
            value={cache.scope}
            options={[
              { value: 'distributed', label: 'distributed (sharded over replicas)' },
              { value: 'perReplica', label: 'per replica (each holds its own)' },
            ]}
            command={(scope) => setCache({ scope })}
          />
          <div className="field-row">
            <NumberField
              label="Entries / replica"
              value={cache.entriesPerReplica}
              step={1}
              testId="field-cache-entries"
              command={(v) => setCache({ entriesPerReplica: v })}
            />
            <NumberField
              label="Key space (keys)"
              value={cache.keySpace}
              step={1}
              testId="field-cache-keyspace"
              command={(v) => setCache({ keySpace: v })}
            />
          </div>
          <div className="field-row">
            <NumberField
              label="Popularity skew (Zipf α)"
              value={cache.zipf}
              hint="0 every key alike · 1 typical · 1.5 a few hot keys"
              command={(v) => setCache({ zipf: v })}
            />
            <NumberField label="Hit time (ms)" value={cache.hitTimeMs} command={(v) => setCache({ hitTimeMs: v })} />
          </div>
        </>
      ) : (
        <p className="muted small">No cache: every request costs the full service time and makes its calls.</p>
      )}
    </Section>
  );
}

/**
 * The target: typing "90" sets entries per replica to the fewest that give 90 % hits. The
 * typed text stays until the entries change some other way (undo, the entries field).
 */
function TargetHitRate({ name, cache, replicas }: { name: string; cache: CacheT; replicas: number }) {
  const id = useId();
  const shards = cache.scope === 'perReplica' ? 1 : Math.max(1, replicas);
  const capacity = cache.entriesPerReplica * shards;
  const achieved = cheHitRate(cache.keySpace, cache.zipf, capacity);
  const [draft, setDraft] = useState<{ text: string; entries: number } | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const current = draft !== null && draft.entries === cache.entriesPerReplica;
  const shown = current ? draft.text : (Math.floor(achieved * 1000) / 10).toString();
  const onChange = (text: string) => {
    const target = Number(text);
    if (text.trim() === '' || !Number.isFinite(target) || target <= 0 || target > 100) {
      setDraft({ text, entries: cache.entriesPerReplica });
      setProblems([{ path: '', message: 'a hit rate above 0 and at most 100 %' }]);
      return;
    }
    const sized = cacheEntriesForHitRate(cache, replicas, target / 100);
    const found = useEditor
      .getState()
      .dispatch({ type: 'setService', name, fields: { cache: { ...cache, entriesPerReplica: sized.entriesPerReplica } } }, `cache-target:${name}`);
    setProblems(found);
    setDraft({ text, entries: found.length ? cache.entriesPerReplica : sized.entriesPerReplica });
  };
  return (
    <div className="field">
      <label htmlFor={id}>Target hit rate (%)</label>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        step="any"
        min={0}
        max={100}
        value={shown}
        data-testid="field-cache-target"
        aria-invalid={current && problems.length > 0}
        aria-describedby={`${id}-achieved`}
        onChange={(e) => onChange(e.target.value)}
      />
      <div className="field-hint" id={`${id}-achieved`} data-testid="cache-achieved">
        achieves <strong>{percent(achieved)}</strong> with {capacity.toLocaleString('en-US')} entries
        {cache.scope === 'distributed' ? ` (${cache.entriesPerReplica.toLocaleString('en-US')} × ${shards} replicas)` : ' in each replica'} of{' '}
        {cache.keySpace.toLocaleString('en-US')} keys · Che's approximation
      </div>
      <Problems problems={current ? problems : []} />
    </div>
  );
}
