/**
 * Failovers: a replica (known by its id across polls) that is now on another server than in
 * the previous poll lost its connection and reconnected elsewhere, usually because its server
 * went down. The move is remembered while the replica stays where it landed (up to
 * `forgetAfterMs`), so drift can name it, and a replica whose zone came only from its server's
 * tag keeps counting in the zone it left: its pod did not move, only its connection did.
 */
import type { LiveFailover, LiveInstance, LiveServer, LiveService, LiveSnapshot } from './types.ts';

export function applyFailovers(
  services: readonly LiveService[],
  servers: readonly LiveServer[],
  previous: LiveSnapshot | null,
  collectedAt: number,
  forgetAfterMs: number,
): number {
  if (!previous) return 0;
  const before = new Map<string, LiveInstance>();
  for (const s of previous.services) for (const i of s.instances) before.set(`${s.kind}\u0000${s.name}\u0000${i.id}`, i);
  const zoneOf = new Map<string, string | null>();
  for (const s of [...previous.servers, ...servers]) zoneOf.set(s.name, s.zone);
  let moved = 0;
  for (const s of services) {
    for (const i of s.instances) {
      const was = before.get(`${s.kind}\u0000${s.name}\u0000${i.id}`);
      if (!was?.server || !i.server) continue;
      let failover: LiveFailover | null = null;
      // Its home zone: its own locality, else where it was before it first moved.
      const home = i.zoneSource === 'locality' || i.zoneSource === 'metadata' ? i.zone : (was.failover?.fromZone ?? zoneOf.get(was.server) ?? null);
      if (was.server !== i.server && zoneOf.get(i.server) !== home) {
        failover = { fromServer: was.failover?.fromServer ?? was.server, fromZone: home, toServer: i.server, at: collectedAt };
        moved++;
      } else if (was.failover && was.failover.toServer === i.server && collectedAt - was.failover.at <= forgetAfterMs) failover = was.failover;
      if (!failover) continue;
      i.failover = failover;
      if (i.zoneSource === 'server-tag' && failover.fromZone) i.zone = failover.fromZone;
    }
  }
  return moved;
}
