/** The results controller's engine in the browser: core on the main thread, in the engine worker, and in a DES worker. */
import { simulate } from '@busboard/core';
import { runDesInWorker } from '../des/runInWorker.ts';
import { simulateInWorker } from '../engine/client.ts';
import { CROSS_CHECK_BUDGET, CROSS_CHECK_PRECISION, type ResultsEngine } from './controller.ts';

export const browserEngine: ResultsEngine = {
  fast: (doc, options) => simulate(doc, options),
  full: (doc, options) => simulateInWorker({ kind: 'simulate', doc, options }),
  des: (doc, options, listener) =>
    runDesInWorker(
      doc,
      {
        seed: CROSS_CHECK_BUDGET.seed,
        requests: CROSS_CHECK_BUDGET.requests,
        timeBudgetMs: CROSS_CHECK_BUDGET.timeBudgetMs,
        precision: CROSS_CHECK_PRECISION,
        scale: options.scale ?? 1,
        failZones: [...(options.failZones ?? [])],
      },
      listener,
    ),
};
