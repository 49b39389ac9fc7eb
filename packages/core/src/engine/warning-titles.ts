/**
 * Human titles for the engine's warning codes: the designer, the export dialog and the
 * physical view show the title; the CLI and JSON keep the code (stable for scripts).
 */
const TITLES: Readonly<Record<string, string>> = Object.assign(Object.create(null) as Record<string, string>, {
  unavailable: 'Service unavailable',
  saturated: 'Saturated: no latency',
  rejecting: 'Rejecting requests (queue limit)',
  'timing-out': 'Timing out (time budget)',
  'retry-storm': 'Retry storm',
  'retry-metastable': 'Retries can lock in a storm',
  'retry-unconverged': 'Retry load did not settle',
  'zone-first-replica': 'Zone without a replica of its own',
  'hot-replica': 'Hot replica',
  'connections-overrun': 'More connections than the database allows',
  'shard-saturated': 'Database shard saturated',
  'broker-saturated': 'NATS server saturated',
  'cpu-overcommitted': 'CPU overcommitted',
  'slo-missed': 'SLO missed',
  'workers-exceed-cores': 'More workers than cores',
  'consumer-lagging': 'Consumer cannot keep up',
  'ack-pending-limit': 'maxAckPending too small',
  'stream-limit-soon': 'Stream reaches its limit within a day',
  'stream-unavailable': 'Stream lost its quorum',
  'publish-unheard': 'Events nobody receives',
});

/** `hot-replica` → `Hot replica`; an unknown code reads as words (`new-thing` → `New thing`). */
export function warningTitle(code: string): string {
  const known = TITLES[code];
  if (known) return known;
  const words = code.replace(/[-_]+/g, ' ').trim();
  return words ? words[0]?.toUpperCase() + words.slice(1) : code;
}
