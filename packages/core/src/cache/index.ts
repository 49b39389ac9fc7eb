export * from './che.ts';
