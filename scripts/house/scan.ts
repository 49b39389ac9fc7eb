/**
 * The house rules a reader can check (issue 15): no import cycles between files, and no
 * function longer than 150 lines in core or the API. Parsed with oxc (through rolldown, which
 * the web build already installs), so what counts as a function is the parser's, not a regex's.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseAst } from 'rolldown/parseAst';

export const ROOT = resolve(import.meta.dirname, '../..');

/** Every .ts/.tsx source (tests and declaration files excluded) under `dir`, absolute paths. */
export function sources(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name === 'dist' || e.name.startsWith('.')) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.tsx?$/.test(e.name) && !/\.(test|spec)\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

function parse(file: string): { text: string; program: Node } {
  const text = readFileSync(file, 'utf8');
  const lang = file.endsWith('.tsx') ? 'tsx' : 'ts';
  return { text, program: parseAst(text, { lang, sourceType: 'module' }, file) as unknown as Node };
}

function children(n: Node): Node[] {
  const out: Node[] = [];
  for (const v of Object.values(n)) {
    if (Array.isArray(v)) for (const c of v) if (c && typeof c === 'object' && typeof (c as Node).type === 'string') out.push(c as Node);
    if (v && typeof v === 'object' && !Array.isArray(v) && typeof (v as Node).type === 'string') out.push(v as Node);
  }
  return out;
}

/** Relative imports (values and types: a type-only cycle still ties two files together). */
function imports(file: string, program: Node): string[] {
  const out: string[] = [];
  for (const n of children(program)) {
    const src = (n as { source?: { value?: unknown } }).source?.value;
    if (
      (n.type === 'ImportDeclaration' || n.type === 'ExportNamedDeclaration' || n.type === 'ExportAllDeclaration') &&
      typeof src === 'string' &&
      src.startsWith('.')
    ) {
      out.push(resolve(dirname(file), src));
    }
  }
  return out;
}

/** Each cycle once, as the list of files (relative to the repository) it runs through. */
export function importCycles(files: string[]): string[][] {
  const graph = new Map<string, string[]>();
  for (const f of files)
    graph.set(
      f,
      imports(f, parse(f).program).filter((t) => graph.has(t) || files.includes(t)),
    );
  const cycles: string[][] = [];
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (f: string): void => {
    state.set(f, 1);
    stack.push(f);
    for (const t of graph.get(f) ?? []) {
      if (state.get(t) === 1) cycles.push(stack.slice(stack.indexOf(t)).map((p) => relative(ROOT, p)));
      else if (!state.has(t)) visit(t);
    }
    stack.pop();
    state.set(f, 2);
  };
  for (const f of files) if (!state.has(f)) visit(f);
  return cycles;
}

const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

/** Functions longer than `max` lines: `path:line name (n lines)`. */
export function longFunctions(files: string[], max: number): string[] {
  const out: string[] = [];
  for (const f of files) {
    const { text, program } = parse(f);
    const lineAt = (offset: number): number => text.slice(0, offset).split('\n').length;
    const visit = (n: Node, name: string): void => {
      if (FUNCTIONS.has(n.type)) {
        const lines = lineAt(n.end) - lineAt(n.start) + 1;
        const own = (n as { id?: { name?: string } }).id?.name ?? name;
        if (lines > max) out.push(`${relative(ROOT, f)}:${lineAt(n.start)} ${own || '(anonymous)'} (${lines} lines)`);
      }
      for (const c of children(n)) {
        const id = (c as { id?: { name?: unknown }; key?: { name?: unknown } }).id?.name ?? (c as { key?: { name?: unknown } }).key?.name;
        visit(c, typeof id === 'string' ? id : name);
      }
    };
    visit(program, '');
  }
  return out;
}
