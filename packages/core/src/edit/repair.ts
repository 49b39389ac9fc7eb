/**
 * A repair for a stored design that today's validation refuses only because the rules got
 * stricter (issues 12 and 21): fields the schema does not know are dropped, and service names
 * that are not hostnames are renamed to the suggested hostname everywhere they are referenced.
 * Every change is listed, so the designer can show them before anything rewrites the design.
 */
import { isServiceName, suggestServiceName } from '../schema/names.ts';
import type { TopologyInput } from '../schema/topology.ts';
import { dropUnknownFields, parseTopology } from '../schema/validate.ts';
import { renameEntity } from './references.ts';

export interface Repair {
  /** The repaired document; it passes `parseTopology`. */
  doc: TopologyInput;
  /** One line per change, in words. */
  changes: string[];
}

/** The repair, or null when the document needs none or these two fixes do not make it valid. */
export function repairDocument(input: unknown): Repair | null {
  const dropped = dropUnknownFields(input);
  if (!dropped.ok) return null;
  let doc = dropped.doc as TopologyInput;
  const changes = dropped.dropped.map((path) => `${path}: dropped (a field Busboard does not know)`);
  const taken = new Set((doc.services ?? []).map((s) => s.name));
  for (const { name } of doc.services ?? []) {
    if (isServiceName(name)) continue;
    const base = suggestServiceName(name);
    if (!base) return null;
    let to = base;
    for (let n = 2; taken.has(to); n++) to = `${base}-${n}`;
    doc = renameEntity(doc, { kind: 'service', name }, to);
    taken.add(to);
    changes.push(`service "${name}" renamed to "${to}" everywhere it is referenced (service names are hostnames and queue groups)`);
  }
  if (!changes.length) return null;
  return parseTopology(doc).ok ? { doc, changes } : null;
}
