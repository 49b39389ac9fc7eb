export { calibrateFromMeasurements, type MeasuredCalibration, type MeasuredChange, zipfForHitRate } from './calibrate.ts';
export { type ComparisonRow, compareWithMeasurements } from './compare.ts';
export {
  bucketCdf,
  estimateOwnTimes,
  expectedMax,
  invertSojourn,
  meanSojourn,
  measuredHitRate,
  measuredPerRequest,
  type OwnTimeEstimate,
} from './estimate.ts';
export { importFromMeasurements } from './import.ts';
export type { BucketRate, MeasuredCall, MeasuredServiceStats, SystemMeasurements } from './measurements.ts';
export { withMicroStats } from './micro.ts';
