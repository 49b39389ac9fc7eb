export * from './bounded.ts';
export * from './erlang.ts';
export * from './special.ts';
export * from './station.ts';
