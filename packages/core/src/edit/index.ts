export type { ClassCommand, ClassIn } from './classes.ts';
export { applyCommand, type Command } from './commands.ts';
export { adoptNameCommand, moveServiceCommand, type PaletteKind, paletteCommand, renameServiceCommand, uniqueName, workersFor } from './names.ts';
export { removeEntity, renameEntity } from './references.ts';
export { type Repair, repairDocument } from './repair.ts';
export {
  type BundleIn,
  type CallIn,
  type DatabaseIn,
  type EntityKind,
  type EntityRef,
  type ExternalIn,
  layoutKey,
  type NatsIn,
  type NetworkIn,
  parseLayoutKey,
  type ServiceIn,
  type SloIn,
  type TrafficIn,
  type XY,
  type ZoneIn,
} from './types.ts';
