export * from './budget.ts';
export * from './physical.ts';
