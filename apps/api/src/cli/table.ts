/** Plain-text tables for the CLI's reports (columns padded to their widest cell). */
export function printTable(rows: Record<string, string>[]): void {
  if (!rows.length) return;
  const cols = Object.keys(rows[0] as object);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) =>
    `${cells
      .map((c, i) => c.padEnd(width[i] ?? 0))
      .join('  ')
      .trimEnd()}\n`;
  process.stdout.write(line(cols));
  for (const r of rows) process.stdout.write(line(cols.map((c) => r[c] ?? '')));
}
