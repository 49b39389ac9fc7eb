/** One name per NATS server and bundle replica, wherever a design is shown (the engine, the physical view and the rehearsal; the same as the export's pod names). */

const hostPart = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '-');

/**
 * A NATS server's name: `<cluster>-<zone>-<n>`, n counting from 0 within the zone. It is the
 * pod name the Kubernetes export gives the server (a StatefulSet per zone, ordinals from 0)
 * and the `server_name` the rehearsal starts it with, so a name in Results is one `kubectl get
 * pods` shows.
 */
export function natsServerName(cluster: string, zone: string, index: number): string {
  return hostPart(`${cluster}-${zone}-${index}`);
}

/** A bundle replica's name: `<bundle>-<zone>-<n>`, n counting from 0 within the zone. */
export function replicaName(bundle: string, zone: string, index: number): string {
  return hostPart(`${bundle}-${zone}-${index}`);
}
