import type { LiveBundle } from '@busboard/core';

const EVIDENCE: Record<LiveBundle['evidence'], string> = {
  connection: 'shared connection',
  'client-ip': 'client IP',
  ids: 'replica ids seen together',
};

/**
 * Bundles as they run: which services share a process, how many processes per zone, and the
 * evidence the grouping rests on (a shared connection, a client IP no other process uses, or
 * connections opened together), with the reason in words.
 */
export function BundlesTable({ bundles }: { bundles: readonly LiveBundle[] }) {
  if (bundles.length === 0) return null;
  return (
    <>
      <h3>Bundles</h3>
      <table className="live-table" data-testid="bundles-table">
        <thead>
          <tr>
            <th>Services in one process</th>
            <th>Replicas per zone</th>
            <th>Evidence</th>
          </tr>
        </thead>
        <tbody>
          {bundles.map((b) => (
            <tr key={b.services.join(' ')} data-testid={`live-bundle-${b.services[0]}`}>
              <td>{b.services.join(', ')}</td>
              <td>
                {Object.entries(b.replicas).map(([zone, n]) => (
                  <span key={zone} className="chip">
                    {zone} ×{n}
                  </span>
                ))}
                {b.unzoned > 0 && <span className="chip warn">no zone ×{b.unzoned}</span>}
              </td>
              <td>
                <span className={`chip evidence-${b.evidence}`}>{EVIDENCE[b.evidence]}</span>
                <div className="muted small">{b.because}</div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
