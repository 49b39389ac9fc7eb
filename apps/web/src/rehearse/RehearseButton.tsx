/**
 * The toolbar's Rehearse button: opens the Rehearse panel, and follows the current run's stream
 * (a tRPC subscription) so the canvas badges and the predicted-vs-measured panel see it.
 */
import { skipToken, useQuery } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useEffect } from 'react';
import { useTRPC } from '../trpc.ts';
import { RehearsePanel } from './RehearsePanel.tsx';
import { useRehearsal } from './state.ts';

export function RehearseButton() {
  const trpc = useTRPC();
  const open = useRehearsal((s) => s.panelOpen);
  const runId = useRehearsal((s) => s.runId);
  const run = useRehearsal((s) => s.run);
  const status = useQuery(trpc.rehearse.status.queryOptions());
  // Every event into the store (onData, not the hook's data: the run's last state arrives with the
  // stream's end, and the hook drops its data when a subscription completes).
  const sub = useSubscription(
    trpc.rehearse.watch.subscriptionOptions(runId ? { runId } : skipToken, { onData: (run) => useRehearsal.getState().update(run) }),
  );
  // A run started elsewhere (another tab): follow it.
  const running = status.data?.running;
  useEffect(() => {
    if (running && !runId) useRehearsal.getState().follow(running.id);
  }, [running, runId]);
  const busy = run?.state === 'running';
  const pct = busy && run.progress ? Math.round((100 * run.progress.elapsedS) / Math.max(1, run.progress.totalS)) : null;
  return (
    <>
      <button
        type="button"
        aria-pressed={open}
        data-testid="rehearse-button"
        className={busy ? 'rehearse-button running' : 'rehearse-button'}
        onClick={() => useRehearsal.getState().setPanelOpen(!open)}
        title="Run this design on real nats-server processes with emulated replicas, and measure it against the model"
      >
        {busy ? `Rehearsing ${pct ?? 0} %` : 'Rehearse'}
      </button>
      {open && <RehearsePanel status={status.data ?? null} streamError={sub.error?.message ?? null} />}
    </>
  );
}
