import { readFileSync } from 'node:fs';
import {
  decodeTopologyText,
  dropUnknownFields,
  failure,
  formatProblem,
  getExample,
  type ParseResult,
  type Problem,
  parseTopology,
} from '@busboard/core';
import type { ParsedArgs } from './args.ts';

/**
 * Reads a design from a file path, `-` (stdin) or `example:<id>`. A field the schema does not
 * know is a problem with its path, unless the user passed `--drop-unknown`: then each dropped
 * field is listed on stderr (nothing is lost silently).
 */
export function loadDesign(file: string, args?: ParsedArgs): ParseResult {
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
  const decoded = decodeTopologyText(text);
  if (!decoded.ok) return decoded;
  if (!args?.flags.has('drop-unknown')) return parseTopology(decoded.value);
  const dropped = dropUnknownFields(decoded.value);
  if (!dropped.ok) return dropped;
  if (dropped.dropped.length) {
    process.stderr.write(`${file}: dropped ${dropped.dropped.length} unknown field${dropped.dropped.length === 1 ? '' : 's'} (--drop-unknown):\n`);
    for (const path of dropped.dropped) process.stderr.write(`  ${path}\n`);
  }
  return parseTopology(dropped.doc);
}

/** A document's problems on stderr, each with its path (and with `--json`, as JSON on stdout too). */
export function printProblems(file: string, result: Extract<ParseResult, { ok: false }>, args: ParsedArgs | undefined): void {
  process.stderr.write(`${file}: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}\n`);
  for (const p of result.problems) process.stderr.write(`  ${formatProblem(p)}\n`);
  printJsonFailure(args, result.problems);
}

/**
 * With `--json`, a failed command prints one JSON object on stdout as a successful one does, in
 * the shape the API answers with (packages/core/src/problems.ts): `{ "ok": false, "problems": [{ "path", "message" }] }`.
 * The words for a person stay on stderr.
 */
export function printJsonFailure(args: ParsedArgs | undefined, problems: Problem[]): void {
  if (args?.flags.has('json')) process.stdout.write(`${JSON.stringify(failure(problems), null, 2)}\n`);
}
