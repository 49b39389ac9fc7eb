/**
 * The live data hooks: the list of cluster connections, and the snapshot stream of one
 * connection (a tRPC subscription over server-sent events; the newest update wins).
 */
import { skipToken, useQuery } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useTRPC } from '../trpc.ts';

export function useLiveConnections() {
  const trpc = useTRPC();
  return useQuery(trpc.live.connections.queryOptions());
}

export function useLiveUpdates(connectionId: string | null) {
  const trpc = useTRPC();
  const sub = useSubscription(trpc.live.watch.subscriptionOptions(connectionId ? { connectionId } : skipToken));
  return { update: sub.data ?? null, error: sub.error, state: sub.status };
}

export type LiveUpdate = NonNullable<ReturnType<typeof useLiveUpdates>['update']>;
export type SnapshotView = NonNullable<LiveUpdate['snapshot']>;
