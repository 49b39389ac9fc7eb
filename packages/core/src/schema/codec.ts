/**
 * Text in and out: YAML or JSON documents (JSON is YAML, so one parser reads both).
 */
import { parse as parseYaml, stringify as stringifyYaml, YAMLParseError } from 'yaml';
import type { TopologyInput } from './topology.ts';
import { type ParseResult, parseTopology } from './validate.ts';

/** Decodes YAML/JSON text and validates it; syntax errors come back as problems with a line. */
export function parseTopologyText(text: string): ParseResult {
  let value: unknown;
  try {
    value = parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const line = err.linePos?.[0];
      const where = line ? `line ${line.line}, column ${line.col}` : 'document';
      return { ok: false, problems: [{ path: '', message: `${where}: ${err.message.split('\n')[0]}` }] };
    }
    throw err;
  }
  if (value === undefined || value === null) {
    return { ok: false, problems: [{ path: '', message: 'the file is empty' }] };
  }
  return parseTopology(value);
}

export function toYaml(doc: TopologyInput): string {
  return stringifyYaml(doc, { lineWidth: 0 });
}

export function toJson(doc: TopologyInput): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
