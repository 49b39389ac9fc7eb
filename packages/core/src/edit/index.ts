export * from './commands.ts';
export * from './names.ts';
export * from './references.ts';
export * from './types.ts';
