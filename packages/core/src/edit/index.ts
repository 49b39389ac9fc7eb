export * from './commands.ts';
export * from './names.ts';
export * from './references.ts';
export * from './repair.ts';
export * from './types.ts';
