export { inferBundles, TOGETHER_MS } from './bundles.ts';
export {
  CALIBRATION_MIN_SAMPLES,
  type CalibrationChange,
  type CalibrationOptions,
  type CalibrationResult,
  type CalibrationWindow,
  calibrate,
} from './calibrate.ts';
export { type DraftResult, draftDesign, regionOfZone } from './draft.ts';
export { computeDrift, type Drift, type DriftFix, type DriftKind, type DriftSeverity, isReplica, type SnapshotLike } from './drift.ts';
export { isClientOwnedStream, jetStreamDrift, jetStreamFindings } from './drift-jetstream.ts';
export type { ConsumerSetting } from './drift-types.ts';
export { applyFailovers } from './failover.ts';
export { RTT_BOUNDS_MS, rttHistogram } from './histogram.ts';
export { buildJetStream } from './jetstream.ts';
export { endpointMatches, matchServices, type ServiceMatch, serviceSubjects, subjectMatches, zoneMapper } from './match.ts';
export {
  isFrameworkRoute,
  type MicrobusConnectionReading,
  type MicrobusEndpointSeen,
  type MicrobusMarks,
  type MicrobusQueueStatus,
  type MicrobusReplicaSeen,
  type MicrobusSlotKind,
  type MicrobusSubscriptionRef,
  microbusOwnerOf,
  microbusSlotOf,
  readMicrobusConnection,
} from './microbus-read.ts';
export {
  escapeMicrobusHostname,
  localityPrefixes,
  localityToDotted,
  localityToHyphen,
  MICROBUS_ALL_HOST,
  MICROBUS_CONTROL_PORT,
  type MicrobusGeneration,
  type MicrobusReplicaSpec,
  type MicrobusRequestSubject,
  type MicrobusResponseSubject,
  type MicrobusRoute,
  type MicrobusSlot,
  type MicrobusSubject,
  microbusConnectionName,
  microbusFrameworkRoutes,
  microbusReplicaSubscriptions,
  microbusRequestSubject,
  microbusResponseSubscription,
  microbusSubscriptions,
  type NatsSubscriptionSpec,
  parseMicrobusSubject,
} from './microbus-subjects.ts';
export { type LiveEvent, type LiveOverlay, liveOverlay, type ServiceOverlay, type ZoneReplicas } from './overlay.ts';
export { type ConsumerOverlay, type JetStreamOverlay, jetStreamOverlay, type StreamOverlay } from './overlay-jetstream.ts';
export {
  CONNECTION_SORTS,
  type ConnectionQuery,
  type ConnectionRow,
  type ConnectionSort,
  isReplicaSlot,
  type LiveSnapshotView,
  type Page,
  queryConnections,
  querySubscriptions,
  SUBSCRIPTION_SORTS,
  type SubscriptionRow,
  type SubscriptionSort,
  snapshotView,
} from './query.ts';
export type {
  LiveSource,
  ProbeSample,
  RawCollection,
  RawConnection,
  RawConnz,
  RawConsumerInfo,
  RawCounters,
  RawGatewayConn,
  RawGatewayz,
  RawJsAccountDetail,
  RawJsClusterInfo,
  RawJsSequence,
  RawJsz,
  RawLeaf,
  RawLeafz,
  RawMicro,
  RawMicroEndpoint,
  RawMicroReply,
  RawMsgBytes,
  RawRoute,
  RawRoutez,
  RawServerInfo,
  RawServerReplies,
  RawStatsz,
  RawStreamDetail,
  RawSubDetail,
  RawSubsz,
  RawVarz,
} from './raw.ts';
export { type BuildSnapshotOptions, buildSnapshot } from './snapshot.ts';
export type {
  BundleEvidence,
  LiveBundle,
  LiveConnection,
  LiveConsumer,
  LiveEndpoint,
  LiveFailover,
  LiveGateway,
  LiveInstance,
  LiveJetStream,
  LiveJsPeer,
  LiveLeafNode,
  LiveQueueGroup,
  LiveRoute,
  LiveSample,
  LiveServer,
  LiveService,
  LiveSnapshot,
  LiveStream,
  LiveSubscription,
  LiveTotals,
  QueueGroupMember,
  ReplicaQueue,
  RttHistogram,
  UnqueuedSubscription,
  ZoneSource,
} from './types.ts';
export { parseDurationMs, zoneFromTags, zoneKey } from './units.ts';
