/**
 * Scenarios side by side (issue 20): 2–4 of them in one table (core's `compareScenarios` rows,
 * each later column's difference from the first, green when better, red when worse) and one set
 * of charts, over the whole window (a wide table needs the room). A DES run per column is kept
 * (desRuns.ts) and its figures are put beside the analytic ones while it matches the scenario.
 */
import { BASE_SCENARIO, type Comparison, compareScenarios, resolveScenario, type SimulationResult, type TopologyInput } from '@busboard/core';
import { Fragment, useDeferredValue, useEffect, useMemo, useState } from 'react';
import { useEditor } from '../state/editor.ts';
import { CompareCharts } from './CompareCharts.tsx';
import { compareCell, formatDelta, formatValue, sectionOf } from './compareModel.ts';
import { runFor, scenarioHash, useScenarioDes } from './desRuns.ts';
import { describeWhatIf, variantsOf } from './variants.ts';

const MAX = 4;

/** A row's label without its entry's or bundle's name (the section heading above says it). */
function shortLabel(key: string, label: string): string {
  const [kind, name] = key.split(':');
  if ((kind === 'entry' || kind === 'bundle') && name && label.startsWith(`${name} `)) return label.slice(name.length + 1);
  return label;
}

/** The scenarios shown first: the base, the active variant, then the others, four at most. */
export function defaultPicks(names: readonly string[], active: string): string[] {
  const rest = names.filter((n) => n !== BASE_SCENARIO && n !== active);
  return [BASE_SCENARIO, ...(active !== BASE_SCENARIO ? [active] : []), ...rest].slice(0, MAX);
}

function useHashes(design: TopologyInput, names: readonly string[]) {
  return useMemo(() => {
    const out: Record<string, { hash: string | null; async: boolean; run(): void }> = {};
    for (const name of names) {
      const r = resolveScenario(design, name);
      const doc = r.doc;
      const options = { scale: r.options.scale, failZones: r.options.failZones, async: r.options.async };
      out[name] = {
        hash: doc ? scenarioHash(doc, options) : null,
        async: Boolean(options.async?.eventBurst || options.async?.consumerOutageSeconds),
        run: () => doc && useScenarioDes.getState().start(name, doc, options),
      };
    }
    return out;
  }, [design, names]);
}

function DesCell({ name, hash, async, run }: { name: string; hash: string | null; async: boolean; run(): void }) {
  const runs = useScenarioDes((s) => s.runs);
  const found = runFor(runs, name, hash);
  const status = found?.run.status;
  if (status === 'running' && !found?.stale) {
    return (
      <span className="compare-des" data-testid={`compare-des-${name}`}>
        DES {Math.round((found?.run.fraction ?? 0) * 100)} %{' '}
        <button type="button" className="link small" onClick={() => useScenarioDes.getState().cancel(name)}>
          cancel
        </button>
      </span>
    );
  }
  const label = !found ? 'Run DES' : found.stale ? 'DES stale: run again' : status === 'error' ? 'DES failed: run again' : 'Run DES again';
  return (
    <span className="compare-des" data-testid={`compare-des-${name}`}>
      {found && !found.stale && status === 'done' && <span className="ok-text small">DES ✓ </span>}
      <button
        type="button"
        className="small"
        disabled={hash === null}
        onClick={run}
        title={
          found?.stale
            ? 'The scenario changed since this run: its figures are no longer shown'
            : `A seeded discrete-event simulation of this scenario (1 M requests or ±5 % on P99)${async ? ', its event burst / consumer outage included' : ''}`
        }
      >
        {label}
      </button>
    </span>
  );
}

function ComparisonTable({ comparison, hashes }: { comparison: Comparison; hashes: ReturnType<typeof useHashes> }) {
  let section = '';
  return (
    <table className="compare-table" data-testid="compare-table">
      <thead>
        <tr>
          <th scope="col">Figure</th>
          {comparison.columns.map((c, i) => (
            <th scope="col" key={c.name} data-testid={`compare-col-${i}`}>
              <div className="compare-col-name">{c.name}</div>
              <div className="muted small">{describeWhatIf(c.whatIf) || (c.name === BASE_SCENARIO ? 'the design itself' : 'no what-if')}</div>
              {c.conflicts.length > 0 && (
                <div className="warn-text small" title={c.conflicts.join('\n')}>
                  {c.conflicts.length} change{c.conflicts.length === 1 ? '' : 's'} not applied
                </div>
              )}
              {c.problems.length > 0 && (
                <div className="bad-text small" title={c.problems.map((p) => `${p.path}: ${p.message}`).join('\n')}>
                  does not validate
                </div>
              )}
              <DesCell name={c.name} hash={hashes[c.name]?.hash ?? null} async={hashes[c.name]?.async ?? false} run={() => hashes[c.name]?.run()} />
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {comparison.rows.map((row) => {
          const s = sectionOf(row.key);
          const head = s !== section;
          section = s;
          return (
            <Fragment key={row.key}>
              {head && (
                <tr className="compare-section">
                  <th colSpan={comparison.columns.length + 1}>{s}</th>
                </tr>
              )}
              <tr data-testid={`compare-row-${row.key}`} className={row.differs ? 'differs' : undefined}>
                <th scope="row">{shortLabel(row.key, row.label)}</th>
                {row.values.map((v, i) => {
                  const { tone, delta } = compareCell(row, i);
                  return (
                    // biome-ignore lint/suspicious/noArrayIndexKey: one cell per column, in column order
                    <td key={i} className={`num tone-${tone}`} data-testid={`compare-cell-${row.key}-${i}`}>
                      <span className="compare-value">{formatValue(v, row.unit)}</span>
                      {delta !== null && tone !== 'same' && (
                        <span className="compare-delta" data-testid={`compare-delta-${row.key}-${i}`}>
                          {formatDelta(delta, row.unit)}
                        </span>
                      )}
                    </td>
                  );
                })}
              </tr>
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}

export function ComparePage({ onClose }: { onClose(): void }) {
  const design = useEditor((s) => s.design);
  const active = useEditor((s) => s.scenario);
  const names = useMemo(() => (design ? [BASE_SCENARIO, ...variantsOf(design).map((v) => v.name)] : [BASE_SCENARIO]), [design]);
  const [picked, setPicked] = useState(() => defaultPicks(names, active));
  const shown = useMemo(() => names.filter((n) => picked.includes(n)), [names, picked]);
  const runs = useScenarioDes((s) => s.runs);
  const deferredDesign = useDeferredValue(design);
  const hashes = useHashes(deferredDesign ?? ({} as TopologyInput), shown);

  useEffect(() => useScenarioDes.getState().keepOnly(names), [names]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  // DES figures only from runs of the scenario as it is now.
  const des = useMemo(() => {
    const out: Record<string, SimulationResult> = {};
    for (const n of shown) {
      const found = runFor(runs, n, hashes[n]?.hash ?? null);
      if (found && !found.stale && found.run.status === 'done' && found.run.result) out[n] = found.run.result;
    }
    return out;
  }, [runs, shown, hashes]);
  const comparison = useMemo(
    () => (deferredDesign && shown.length > 0 ? compareScenarios(deferredDesign, shown, { des }) : null),
    [deferredDesign, shown, des],
  );

  const toggle = (n: string) => setPicked((p) => (p.includes(n) ? p.filter((x) => x !== n) : p.length >= MAX ? p : [...p, n]));

  return (
    <div className="compare-page" role="dialog" aria-modal="true" aria-labelledby="compare-title" data-testid="compare">
      <header className="compare-header">
        <h2 id="compare-title">Compare scenarios</h2>
        <fieldset className="compare-picks" aria-label="scenarios to compare">
          {names.map((n) => (
            <label key={n} className={picked.includes(n) ? 'picked' : undefined}>
              <input
                type="checkbox"
                checked={picked.includes(n)}
                disabled={!picked.includes(n) && picked.length >= MAX}
                onChange={() => toggle(n)}
                data-testid={`compare-pick-${n}`}
              />{' '}
              {n}
            </label>
          ))}
          <span className="muted small">{shown.length < 2 ? 'pick two or more (four at most)' : `${shown.length} of at most ${MAX}`}</span>
        </fieldset>
        <button type="button" className="compare-close" onClick={onClose} aria-label="Close the comparison" data-testid="compare-close">
          ×
        </button>
      </header>
      {names.length < 2 && (
        <p className="muted compare-empty">
          This design has no variants yet: make one with <strong>Scenario ▾ → New variant</strong> (V), change it, then compare it here with the base.
        </p>
      )}
      {comparison && (
        <div className="compare-body">
          <div className="compare-table-wrap">
            <ComparisonTable comparison={comparison} hashes={hashes} />
            <p className="muted small">
              Differences are against the first column: <span className="ok-text">green</span> better, <span className="bad-text">red</span> worse.
              Each column is the engine run on that scenario alone; DES rows appear once a run of the scenario as it is now has finished.
            </p>
          </div>
          <CompareCharts columns={comparison.columns} />
        </div>
      )}
    </div>
  );
}
