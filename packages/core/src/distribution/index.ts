export * from './fft.ts';
export * from './lattice.ts';
