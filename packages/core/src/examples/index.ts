import type { TopologyInput } from '../schema/topology.ts';
import { checkout } from './checkout.ts';
import { flow8Tier } from './flow8-tier.ts';
import { microbusBudget } from './microbus-budget.ts';
import { microbusShop } from './microbus-shop.ts';
import { nimbus } from './nimbus.ts';
import { ordersEvents } from './orders-events.ts';

export interface Example {
  /** Stable id, also the CLI's `example:<id>` and the file name under `examples/`. */
  id: string;
  title: string;
  summary: string;
  doc: TopologyInput;
}

/** The example designs shipped with the app (bundled, no server needed). */
export const EXAMPLES: readonly Example[] = [
  {
    id: 'microbus-shop',
    title: 'Microbus shop',
    summary: 'Ingress + 6 services in 3 bundles over 3 zones, Foreman on 4 DB shards, a distributed cache',
    doc: microbusShop,
  },
  {
    id: 'flow8-tier',
    title: 'flow8 stateless tier',
    summary: 'Identical instances with per-instance caches on a sharded database',
    doc: flow8Tier,
  },
  {
    id: 'checkout',
    title: 'Checkout',
    summary: 'edge → auth → cart → (pricing ∥ inventory) → payment → processor, P95 ≤ 300 ms',
    doc: checkout,
  },
  {
    id: 'microbus-budget',
    title: 'Microbus time budgets',
    summary: 'A 1 s budget from the ingress: with a zone failed, orders times out instead of queueing without end; recs fails after its ack timeout',
    doc: microbusBudget,
  },
  {
    id: 'nimbus',
    title: 'Nimbus tenants',
    summary: 'One process, two tenants with their own admission queues: A past its capacity gets 429s, B keeps P99 ≤ 40 ms',
    doc: nimbus,
  },
  {
    id: 'orders-events',
    title: 'Orders with events',
    summary: 'Each order published once: a JetStream stream (R3) feeds a fulfilment worker pool; email and search get their own copies',
    doc: ordersEvents,
  },
];

export function getExample(id: string): Example | undefined {
  return EXAMPLES.find((e) => e.id === id);
}
