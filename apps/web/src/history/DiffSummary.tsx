import type { AppRouter } from '@busboard/api';
import type { inferRouterOutputs } from '@trpc/server';

type Diff = inferRouterOutputs<AppRouter>['designs']['diff'];
type Named = Diff['services'];

const KINDS: [keyof Diff & ('zones' | 'services' | 'bundles' | 'externals' | 'databases' | 'nats' | 'traffic'), string][] = [
  ['zones', 'zone'],
  ['services', 'service'],
  ['bundles', 'bundle'],
  ['externals', 'external'],
  ['databases', 'database'],
  ['nats', 'NATS cluster'],
  ['traffic', 'traffic into'],
];

/** What changed between two revisions, one line per change, in the planner's terms. */
export function DiffSummary({ diff }: { diff: Diff }) {
  if (diff.same) return <p className="muted">No differences.</p>;
  const lines: { sign: '+' | '−' | '~'; text: string }[] = [];
  for (const [key, label] of KINDS) {
    const c = diff[key] as Named;
    for (const n of c.added) lines.push({ sign: '+', text: `${label} ${n}` });
    for (const n of c.removed) lines.push({ sign: '−', text: `${label} ${n}` });
    for (const n of c.changed) lines.push({ sign: '~', text: `${label} ${n.name}: ${n.fields.join(', ')}` });
  }
  for (const r of diff.replicas) lines.push({ sign: '~', text: `${r.bundle} in ${r.zone}: ${r.from} → ${r.to} replicas` });
  for (const o of diff.other) lines.push({ sign: '~', text: `${o} changed` });
  if (diff.layoutChanged) lines.push({ sign: '~', text: 'layout moved' });
  return (
    <ul className="diff-lines" data-testid="diff-lines">
      {lines.map((l) => (
        <li key={`${l.sign}${l.text}`} className={l.sign === '+' ? 'added' : l.sign === '−' ? 'removed' : 'changed'}>
          <span className="diff-sign">{l.sign}</span> {l.text}
        </li>
      ))}
    </ul>
  );
}
