export * from './che.ts';
export * from './size.ts';
