export { createRng, type Rng, rngFromState, seedFromString } from './rng.ts';
export { exponential, gamma, normal } from './sample.ts';
