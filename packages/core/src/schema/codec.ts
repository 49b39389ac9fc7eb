/**
 * Text in and out: YAML or JSON documents (JSON is YAML, so one parser reads both).
 */
import { parse as parseYaml, stringify as stringifyYaml, YAMLParseError } from 'yaml';
import type { Problem } from '../problems.ts';
import type { TopologyInput } from './topology.ts';
import { type ParseResult, parseTopology } from './validate.ts';

export type DecodeResult = { ok: true; value: unknown } | { ok: false; problems: Problem[] };

/**
 * Decodes YAML/JSON text into a value, without judging it as a document. Syntax errors come
 * back as problems with a line; so does a document that expands aliases past the parser's
 * budget (an "alias bomb": a few lines that would expand to billions of nodes).
 */
export function decodeTopologyText(text: string): DecodeResult {
  let value: unknown;
  try {
    value = parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const line = err.linePos?.[0];
      const where = line ? `line ${line.line}, column ${line.col}` : 'document';
      return { ok: false, problems: [{ path: '', message: `${where}: ${err.message.split('\n')[0]}` }] };
    }
    // yaml refuses excessive alias expansion with a ReferenceError (its maxAliasCount).
    if (err instanceof ReferenceError && /alias/i.test(err.message))
      return {
        ok: false,
        problems: [
          {
            path: '',
            message: 'the YAML expands its aliases (*name) past the limit; a topology document needs few aliases, if any: write the values out',
          },
        ],
      };
    if (err instanceof RangeError) return { ok: false, problems: [{ path: '', message: 'the document is nested too deeply to read' }] };
    throw err;
  }
  if (value === undefined || value === null) {
    return { ok: false, problems: [{ path: '', message: 'the file is empty' }] };
  }
  return { ok: true, value };
}

/** Decodes YAML/JSON text and validates it; syntax errors come back as problems with a line. */
export function parseTopologyText(text: string): ParseResult {
  const decoded = decodeTopologyText(text);
  return decoded.ok ? parseTopology(decoded.value) : decoded;
}

export function toYaml(doc: TopologyInput): string {
  return stringifyYaml(doc, { lineWidth: 0 });
}

export function toJson(doc: TopologyInput): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
