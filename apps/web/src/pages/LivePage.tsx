/** The Live page lives in `src/live/` with its parts; this keeps App.tsx's import stable. */
export { LivePage } from '../live/LivePage.tsx';
