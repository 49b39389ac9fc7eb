export type { AsyncCommand } from './async.ts';
export { type StreamRemoval, streamRemoval } from './async-references.ts';
export type { ClassCommand, ClassIn } from './classes.ts';
export { applyCommand, type Command } from './commands.ts';
export { adoptNameCommand, moveServiceCommand, type PaletteKind, paletteCommand, renameServiceCommand, uniqueName, workersFor } from './names.ts';
export { removeEntity, renameEntity } from './references.ts';
export { type Repair, repairDocument } from './repair.ts';
export {
  type BundleIn,
  type CallIn,
  type ConsumerIn,
  consumerRefName,
  type DatabaseIn,
  type EntityKind,
  type EntityRef,
  type ExternalIn,
  layoutKey,
  type NatsIn,
  type NetworkIn,
  type PublishIn,
  parseLayoutKey,
  type ServiceIn,
  type SloIn,
  type StreamIn,
  type SubscriptionIn,
  splitConsumerRef,
  type TrafficIn,
  type XY,
  type ZoneIn,
} from './types.ts';
