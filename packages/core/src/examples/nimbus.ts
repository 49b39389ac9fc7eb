import type { TopologyInput } from '../schema/topology.ts';

/**
 * Nimbus (the single-process multi-tenant seed): one binary — the transport layer and the
 * function runtime — serving two tenants. Each tenant has its own admission queue and its own
 * budget of function invocations at once (per-class `admission`): 4 of the runtime's 8 workers
 * and 20 waiting each. Tenant A sends 600 rps against the 500 rps its 4 workers serve (8 ms
 * each), so its queue overflows and about a fifth of its requests are rejected with 429; tenant
 * B, at 250 rps, keeps its P99 ≤ 40 ms: its neighbour's overload never reaches its line.
 * Each tenant's share is its own M/M/4/24, exactly (core README "Traffic classes").
 */
export const nimbus: TopologyInput = {
  schema: 'busboard.topology/v3',
  name: 'Nimbus tenants',
  zones: [{ name: 'eu-central-1a', region: 'eu-central-1' }],
  // Exports put a broker beside every design; Nimbus's two services call each other in-process and never use it.
  nats: [{ name: 'nats', region: 'eu-central-1', serversPerZone: 1 }],
  classes: [{ name: 'tenantA' }, { name: 'tenantB' }],
  services: [
    { name: 'transport.nimbus', serviceTimeMs: 0.2, serviceTimeCv: 1, workers: 8, calls: [{ to: 'functions.nimbus', perRequest: 1 }] },
    {
      name: 'functions.nimbus',
      serviceTimeMs: 8,
      serviceTimeCv: 1,
      workers: 8,
      queueLimit: 40,
      rejectWith: 429,
      admission: [
        { class: 'tenantA', queueLimit: 20, maxInFlight: 4 },
        { class: 'tenantB', queueLimit: 20, maxInFlight: 4 },
      ],
    },
  ],
  bundles: [{ name: 'nimbus', services: ['transport.nimbus', 'functions.nimbus'], replicas: { 'eu-central-1a': 1 }, cpu: 8, memoryMiB: 2048 }],
  traffic: [
    { entry: 'transport.nimbus', rps: 600, class: 'tenantA' },
    { entry: 'transport.nimbus', rps: 250, class: 'tenantB' },
  ],
  slo: [{ entry: 'transport.nimbus', class: 'tenantB', p99Ms: 40, maxRejectionRate: 0.001 }],
};
