/**
 * The design's warnings on the physical view: the same list as the Results tab (core's
 * `designWarnings`), folded into a corner card so the lanes stay in sight.
 */
import { warningTitle } from '@busboard/core';
import { Panel } from '@xyflow/react';
import { useDesign } from '../design/context.ts';
import { useDesignWarnings } from '../designer/useDesignWarnings.ts';
import { describePath } from '../lib/paths.ts';

export function PhysicalWarnings() {
  const { doc } = useDesign();
  const { warnings, pending } = useDesignWarnings();
  return (
    <Panel position="top-right" className="legend-panel">
      <details className="physical-warnings" data-testid="physical-warnings" data-settled={!pending}>
        <summary className={warnings.length ? 'has-warnings' : ''}>
          {warnings.length === 0 ? 'No warnings' : `${warnings.length} warning${warnings.length === 1 ? '' : 's'}`}
        </summary>
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the list scrolls; keyboard users must be able to focus it (axe: scrollable-region-focusable) */}
        <ul className="legend" tabIndex={0} aria-label="Warnings">
          {warnings.map((w) => (
            <li key={`${w.code}:${w.path}:${w.message}`} data-code={w.code} title={w.message}>
              <strong>{warningTitle(w.code)}</strong> <span className="muted">{describePath(doc, w.path)}</span>
            </li>
          ))}
        </ul>
      </details>
    </Panel>
  );
}
