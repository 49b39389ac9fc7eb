/**
 * The logical view's key to zones: each zone's tint and short label as the bundles show them,
 * with its full name and region, and whether a what-if has failed it.
 */
import { Panel } from '@xyflow/react';
import { useDesign } from '../design/context.ts';
import { zoneMarks } from './zones.ts';

export function ZoneKey() {
  const { doc, options } = useDesign();
  if (doc.zones.length === 0) return null;
  const failed = options.failZones ?? [];
  return (
    <Panel position="top-left" className="zone-key-panel">
      <div className="zone-key" data-testid="zone-key">
        <strong>Zones</strong>
        {zoneMarks(doc.zones).map((z) => (
          <span key={z.name} className={`zone-key-item zone-${z.tint}`} title={`region ${z.region}`}>
            {z.short === z.name ? z.name : `${z.short} = ${z.name}`}
            {failed.includes(z.name) ? ' (failed)' : ''}
          </span>
        ))}
      </div>
    </Panel>
  );
}
