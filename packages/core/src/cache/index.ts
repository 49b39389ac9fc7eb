export { cheHitRate } from './che.ts';
