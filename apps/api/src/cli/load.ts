import { readFileSync } from 'node:fs';
import { formatProblem, getExample, type ParseResult, parseTopology, parseTopologyText } from '@busboard/core';

/** Reads a design from a file path, `-` (stdin) or `example:<id>`. */
export function loadDesign(file: string): ParseResult {
  if (file.startsWith('example:')) {
    const ex = getExample(file.slice('example:'.length));
    if (!ex)
      return {
        ok: false,
        problems: [{ path: '', message: `no example "${file.slice(8)}"; try example:microbus-shop, example:flow8-tier or example:checkout` }],
      };
    return parseTopology(ex.doc);
  }
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    return {
      ok: false,
      problems: [
        { path: '', message: `cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}` },
      ],
    };
  }
  return parseTopologyText(text);
}

export function printProblems(file: string, result: Extract<ParseResult, { ok: false }>): void {
  process.stderr.write(`${file}: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}\n`);
  for (const p of result.problems) process.stderr.write(`  ${formatProblem(p)}\n`);
}
