export { type BudgetRow, latencyBudget } from './budget.ts';
export { type PhysicalView, physicalView, type ReplicaSetView, type ZoneFlow, type ZoneLane } from './physical.ts';
