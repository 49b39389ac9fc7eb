/**
 * The event loop's codes (sim.ts, sim-queues.ts): an event's kind in the low two bits of its heap
 * payload (the job id above them), and the bits of a job's flags (jobs.ts `jFlags`; the traffic
 * class sits above them, classes.ts CLASS_SHIFT).
 */

export const EV_INGRESS = 0;
export const EV_ARRIVE = 1;
export const EV_DONE = 2;
export const EV_EXT = 3;

export const F_MEASURED = 1;
export const F_HIT = 2;
/** On a root job: some replica on its path rejected a call (schema v2 queue limits); the request fails. */
export const F_FAILED = 4;
/** Admitted at its queue: held there until its response (routing.ts). */
export const F_HELD = 8;
/** An event copy (des/events.ts): jEntry is its handler, jT0 its publish time; F_EV_MEASURED: a measured request published it. */
export const F_EVENT = 16;
export const F_EV_MEASURED = 32;
