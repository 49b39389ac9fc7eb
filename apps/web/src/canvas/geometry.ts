/** Node sizes on the canvas, shared by the adapter, auto-layout and image export. */
export const SERVICE_W = 220;
export const SERVICE_H = 66;
export const GAP = 12;
/** The bundle's title line and its strip of zones. */
export const BUNDLE_HEADER = 56;
export const BUNDLE_W = SERVICE_W + 2 * GAP;
export const ENDPOINT_W = 180;
export const ENDPOINT_H = 48;
/** Async messaging (schema v3): a JetStream stream and a consumer of it. */
export const STREAM_W = 200;
export const STREAM_H = 58;
export const CONSUMER_W = 190;
export const CONSUMER_H = 58;
/** Consumers hang under their stream (fed from its lower edge): room for the stream's badge and the arrow. */
export const CONSUMER_GAP = 34;
export const CONSUMER_SLOT_X = 14;

/** A consumer's place relative to its stream's corner, unless placed by hand: the i-th under it. */
export function consumerSlot(index: number): { x: number; y: number } {
  return { x: CONSUMER_SLOT_X, y: STREAM_H + CONSUMER_GAP + index * (CONSUMER_H + CONSUMER_GAP) };
}

export function bundleHeight(services: number): number {
  return BUNDLE_HEADER + Math.max(1, services) * (SERVICE_H + GAP) + GAP - (services === 0 ? GAP : 0);
}

/** A service's position inside its bundle (relative to the bundle's corner). */
export function serviceSlot(index: number): { x: number; y: number } {
  return { x: GAP, y: BUNDLE_HEADER + index * (SERVICE_H + GAP) };
}

// Physical view.
export const LANE_W = 260;
export const LANE_GAP = 60;
export const LANE_HEADER = 54;
export const REPLICA_H = 52;
export const NATS_H = 30;
