import { router } from '../trpc.ts';
import { credentialsRouter } from './credentials.ts';
import { designsRouter } from './designs.ts';
import { liveRouter } from './live.ts';
import { prometheusRouter } from './prometheus.ts';
import { rehearseRouter } from './rehearse.ts';
import { simulateRouter } from './simulate.ts';

export const appRouter = router({
  designs: designsRouter,
  simulate: simulateRouter,
  live: liveRouter,
  credentials: credentialsRouter,
  rehearse: rehearseRouter,
  prometheus: prometheusRouter,
});

export type AppRouter = typeof appRouter;
