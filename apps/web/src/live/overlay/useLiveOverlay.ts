/**
 * The design overlay's state: on or off, which cluster connection, and the overlay core
 * computes from the live stream and the design (`liveOverlay`: replicas per zone, rates,
 * latency, drift). Self-contained so the canvas needs only a toggle, badges and a panel.
 */
import { liveOverlay, type SimulationResult, type Topology } from '@busboard/core';
import { useEffect, useMemo, useState } from 'react';
import { useLiveConnections, useLiveUpdates } from '../useLive.ts';

const SELECTED = 'busboard.liveConnection';

export function useLiveOverlay(doc: Topology | null, result: SimulationResult | null) {
  const [enabled, setEnabled] = useState(false);
  const connections = useLiveConnections();
  const [connectionId, setConnectionId] = useState<string | null>(() => sessionStorage.getItem(SELECTED));
  const list = connections.data ?? [];
  useEffect(() => {
    if (connections.data && !list.some((c) => c.id === connectionId)) setConnectionId(list[0]?.id ?? null);
  }, [connections.data, list, connectionId]);
  const { update, error } = useLiveUpdates(enabled ? connectionId : null);
  const snapshot = update?.snapshot ?? null;
  const overlay = useMemo(() => (enabled && doc && snapshot ? liveOverlay(doc, snapshot, result) : null), [enabled, doc, snapshot, result]);
  return {
    enabled,
    setEnabled,
    connections: list,
    connectionId,
    setConnectionId: (id: string) => {
      sessionStorage.setItem(SELECTED, id);
      setConnectionId(id);
    },
    update,
    snapshot,
    error,
    overlay,
  };
}

export type LiveOverlayState = ReturnType<typeof useLiveOverlay>;
