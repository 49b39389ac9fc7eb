import type { LiveEvent, ServiceOverlay } from '@busboard/core';
import { useInternalNode, ViewportPortal } from '@xyflow/react';
import { serviceId } from '../../canvas/ids.ts';
import { fmtMs, fmtRate } from '../format.ts';
import type { LiveOverlayState } from './useLiveOverlay.ts';

function Badge({ s }: { s: ServiceOverlay }) {
  const node = useInternalNode(serviceId(s.service));
  if (!node) return null;
  const { x, y } = node.internals.positionAbsolute;
  const width = node.measured.width ?? 200;
  const live = s.zones.reduce((a, z) => a + z.live, 0);
  const designed = s.zones.reduce((a, z) => a + z.designed, 0);
  const tone = !s.live ? 'bad' : s.driftCount ? 'warn' : 'ok';
  return (
    <div
      className={`node-badge tone-${tone}`}
      data-testid={`live-badge-${s.service}`}
      style={{ transform: `translate(${x + width}px, ${y}px) translate(-100%, -70%)` }}
      title={s.zones.map((z) => `${z.zone}: ${z.live} live / ${z.designed} designed`).join('\n')}
    >
      {s.live ? (
        <>
          live {live}/{designed} · {fmtRate(s.liveRps, ' rps')}
          {s.measuredMs !== null ? ` · ${fmtMs(s.measuredMs)}` : s.probeP50Ms !== null ? ` · rtt ${fmtMs(s.probeP50Ms)}` : ''}
        </>
      ) : (
        'not seen live'
      )}
    </div>
  );
}

/**
 * A Microbus event seen live, labelled where the designed call source → sink enters the sink
 * (its left handle), clear of the replica badges on the nodes' top-right corners.
 */
function EventLabel({ e }: { e: LiveEvent }) {
  const source = useInternalNode(serviceId(e.source));
  const sink = useInternalNode(serviceId(e.sink));
  if (!source || !sink) return null;
  const x = sink.internals.positionAbsolute.x - 6;
  const y = sink.internals.positionAbsolute.y + (sink.measured.height ?? 60) / 2;
  return (
    <div
      className="live-event-label"
      data-testid={`live-event-${e.source}-${e.sink}`}
      style={{ left: x, top: y }}
      title={`${e.sink} listens to events of ${e.source} (seen live)`}
    >
      event live
    </div>
  );
}

/** Live figures pinned to each service node of the design canvas, and events on their calls. Render inside `<ReactFlow>`. */
export function LiveCanvasBadges({ live }: { live: LiveOverlayState }) {
  if (!live.enabled || !live.overlay) return null;
  return (
    <ViewportPortal>
      {live.overlay.services.map((s) => (
        <Badge key={s.service} s={s} />
      ))}
      {live.overlay.events
        .filter((e) => e.designed)
        .map((e) => (
          <EventLabel key={`${e.source} ${e.sink}`} e={e} />
        ))}
    </ViewportPortal>
  );
}
