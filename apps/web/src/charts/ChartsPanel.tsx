/**
 * Charts (loaded on first open): latency vs load, P99 vs replicas for the selected bundle,
 * cache hit rate vs replicas, and each entry's latency budget against its SLO.
 */
import { useState } from 'react';
import { bundleOf, serviceOf } from '../canvas/ids.ts';
import { useDesign } from '../design/context.ts';
import { useView } from '../state/view.ts';
import { BudgetChart } from './BudgetChart.tsx';
import { GoodputChart } from './GoodputChart.tsx';
import { LoadChart, ReplicaCharts } from './SweepCharts.tsx';

export default function ChartsPanel() {
  const { doc } = useDesign();
  const selection = useView((s) => s.selection);
  const entries = [...new Set(doc.traffic.map((t) => t.entry))];
  const [entryPick, setEntry] = useState<string>('');
  const entry = entries.includes(entryPick) ? entryPick : (entries[0] ?? '');
  const selectedBundle =
    selection
      .map((id) => {
        const service = serviceOf(id);
        return bundleOf(id) ?? (service === null ? undefined : doc.bundles.find((b) => b.services.includes(service))?.name);
      })
      .find(Boolean) ?? '';
  const [bundlePick, setBundle] = useState('');
  const bundle = selectedBundle || (doc.bundles.some((b) => b.name === bundlePick) ? bundlePick : (doc.bundles[0]?.name ?? ''));
  return (
    <div className="charts" data-testid="charts">
      {entries.length > 0 && (
        <label className="chart-pick">
          Entry{' '}
          <select value={entry} onChange={(e) => setEntry(e.target.value)}>
            {entries.map((e) => (
              <option key={e}>{e}</option>
            ))}
          </select>
        </label>
      )}
      <LoadChart entry={entry} />
      {entries.length > 0 && <GoodputChart />}
      <label className="chart-pick">
        Bundle{' '}
        <select
          value={bundle}
          onChange={(e) => setBundle(e.target.value)}
          disabled={Boolean(selectedBundle)}
          title="select a bundle on the canvas, or pick one"
        >
          {doc.bundles.map((b) => (
            <option key={b.name}>{b.name}</option>
          ))}
        </select>
      </label>
      {bundle && <ReplicaCharts bundle={bundle} entry={entry} />}
      {entry && <BudgetChart entry={entry} />}
    </div>
  );
}
