/** Types the web app imports (type-only) from the API. */

export type { PrometheusView } from './prometheus/source.ts';
export type { RunView } from './rehearse/manager.ts';
export type { RehearsalProgress, RehearsalReport } from './rehearse/run.ts';
export type { AppRouter } from './routers/_app.ts';
