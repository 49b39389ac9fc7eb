/**
 * What is wrong with a design's variants once resolved against the base (issue 20): changes that
 * leave an invalid document, and changes that do not apply as written (their target gone).
 * Warnings, not problems of the document: both depend on the base, which the user edits, so they
 * never make the design unreadable (schema/validate-scenarios.ts checks what the document itself
 * must get right). The CLI's `busboard scenarios` and the web's scenario list show them.
 */
import type { Problem } from '../problems.ts';
import type { TopologyInput } from '../schema/topology.ts';
import { resolveScenario } from './resolve.ts';

/** One warning per variant whose changes leave an invalid document or conflict with the base (path `scenarios[i]`). */
export function scenarioWarnings(input: TopologyInput): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  (input.scenarios ?? []).forEach((s, i) => {
    if (seen.has(s.name) || s.name === 'base') return; // the document's own problems say so
    seen.add(s.name);
    const r = resolveScenario(input, s.name);
    const path = `scenarios[${i}]`;
    if (r.problems.length) {
      const [first] = r.problems;
      const more = r.problems.length > 1 ? ` (and ${r.problems.length - 1} more)` : '';
      out.push({
        path,
        message: `"${s.name}" leaves an invalid design: ${first?.path ? `${first.path}: ` : ''}${first?.message}${more}; fix its changes`,
      });
    }
    for (const c of r.conflicts) out.push({ path, message: `"${s.name}": ${c}` });
  });
  return out;
}
