/** Purges designs that have been in the trash longer than 30 days: at start, then hourly. */
import { type DesignStore, RETENTION_MS } from './types.ts';

export function startRetention(store: DesignStore, onPurged: (count: number) => void, now: () => Date = () => new Date()) {
  const purge = async () => {
    try {
      const n = await store.purgeDeleted(new Date(now().getTime() - RETENTION_MS));
      if (n > 0) onPurged(n);
    } catch {
      // The database may be briefly away; the next hour tries again.
    }
  };
  void purge();
  const timer = setInterval(() => void purge(), 3600_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
