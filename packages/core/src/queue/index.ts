export { type BoundedQueue, boundedQueue, boundedSojournSurvival, boundedWaitH, boundedWaitSurvival } from './bounded.ts';
export { erlangB, erlangC, type MmcFigures, mmc } from './erlang.ts';
export {
  doneBy,
  type ImpatientQueue,
  impatientQueue,
  impatientQueueStop,
  meanDoneTime,
  offeredWaitSurvival,
  servedWaitH,
  servedWaitSurvival,
} from './impatient.ts';
export { type ClassFigures, type ClassLoad, type MultiClassMethod, type MultiClassResult, multiClassChain, priorityMMc } from './multiclass.ts';
export { gammaP, gammaQ, lnGamma, phi } from './special.ts';
export {
  expPlusGammaSurvival,
  gammaSurvival,
  mixtureMoments,
  type Station,
  type StationInput,
  type StationMethod,
  sojournPercentile,
  sojournSurvival,
  station,
  type TimeComponent,
  type WaitShape,
} from './station.ts';
