export * from './k8s.ts';
