/** Predicted beside measured, one row per figure, the error coloured against the tolerance. */
import type { ComparisonRow } from '@busboard/core';
import { errorClass, fmtError, fmtValue } from './format.ts';

export function ComparisonTable({ rows, tolerance, testId }: { rows: ComparisonRow[]; tolerance: number; testId: string }) {
  const compared = rows.filter((r) => r.error !== null);
  const within = compared.filter((r) => Math.abs(r.error as number) <= tolerance).length;
  return (
    <>
      <p className={`comparison-summary ${within === compared.length ? 'good' : 'bad'}`} data-testid={`${testId}-summary`}>
        {within} of {compared.length} figures within ±{Math.round(tolerance * 100)} %
      </p>
      <table className="comparison-table" data-testid={testId}>
        <thead>
          <tr>
            <th>Figure</th>
            <th className="num">Model</th>
            <th className="num">Measured</th>
            <th className="num">Error</th>
          </tr>
        </thead>
        <tbody>
          {rows.flatMap((r, i) => {
            const first = i === 0 || rows[i - 1]?.name !== r.name || rows[i - 1]?.kind !== r.kind;
            const row = (
              <tr key={`${r.kind}:${r.name}:${r.figure}`} data-figure={`${r.name}:${r.figure}`}>
                <td className="figure" title={r.note ?? undefined}>
                  {r.figure}
                  {r.note ? <span className="muted"> ⓘ</span> : null}
                </td>
                <td className="num">{fmtValue(r.predicted, r.unit)}</td>
                <td className="num">{fmtValue(r.measured, r.unit)}</td>
                <td className={`num err err-${errorClass(r.error, tolerance)}`}>{fmtError(r.error)}</td>
              </tr>
            );
            if (!first) return [row];
            return [
              <tr key={`${r.kind}:${r.name}`} className="group">
                <th colSpan={4} scope="rowgroup">
                  {r.name} <span className="muted small">{r.kind}</span>
                </th>
              </tr>,
              row,
            ];
          })}
        </tbody>
      </table>
    </>
  );
}
