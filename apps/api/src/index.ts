/** Types the web app imports (type-only) from the API. */
export type { AppRouter } from './routers/_app.ts';
