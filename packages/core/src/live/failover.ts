/**
 * Failovers: a replica (known by its id across polls) that is now on another server than in
 * the previous poll, because that server went down (or restarted), or that now connects
 * outside its home zone, lost its connection and reconnected elsewhere. The move is remembered while the replica stays where it landed (up to
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
  const idBefore = new Map(previous.servers.map((s) => [s.name, s.id]));
  const now = new Map(servers.map((s) => [s.name, s]));
  // A server its clients had to leave: down or gone now, or restarted (a new id) since the last poll.
  const lost = (name: string) => {
    const s = now.get(name);
    return !s?.up || s.id !== idBefore.get(name);
  };
  let moved = 0;
  for (const s of services) {
    for (const i of s.instances) {
      const was = before.get(`${s.kind}\u0000${s.name}\u0000${i.id}`);
      if (!was?.server || !i.server) continue;
      let failover: LiveFailover | null = null;
      // Its home zone: its own locality, else where it was before it first moved.
      const home = i.zoneSource === 'locality' || i.zoneSource === 'metadata' ? i.zone : (was.failover?.homeZone ?? zoneOf.get(was.server) ?? null);
      if (was.server !== i.server && (lost(was.server) || zoneOf.get(i.server) !== home)) {
        failover = { fromServer: was.server, fromZone: zoneOf.get(was.server) ?? null, homeZone: home, toServer: i.server, at: collectedAt };
        moved++;
      } else if (was.failover && was.failover.toServer === i.server && collectedAt - was.failover.at <= forgetAfterMs) failover = was.failover;
      if (!failover) continue;
      i.failover = failover;
      if (i.zoneSource === 'server-tag' && failover.homeZone) i.zone = failover.homeZone;
    }
  }
  return moved;
}
