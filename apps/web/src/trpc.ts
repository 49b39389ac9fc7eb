import type { AppRouter } from '@busboard/api';
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { authHeaders, getToken, isUnauthorized, noticeAuthError } from './auth/token.ts';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    // A 401 opens the token prompt (auth/TokenPrompt.tsx) instead of being retried.
    queryCache: new QueryCache({ onError: noticeAuthError }),
    mutationCache: new MutationCache({ onError: noticeAuthError }),
    defaultOptions: { queries: { staleTime: 5_000, retry: (n, err) => n < 1 && !isUnauthorized(err), refetchOnWindowFocus: false } },
  });
}

export function makeTrpcClient() {
  return createTRPCClient<AppRouter>({
    links: [
      // Subscriptions (live snapshots) stream over server-sent events; everything else is batched HTTP.
      // EventSource cannot send headers, so the access token travels as a connection parameter there.
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url: '/trpc',
          connectionParams: () => {
            const token = getToken();
            return token ? { token } : null;
          },
        }),
        false: httpBatchLink({ url: '/trpc', headers: authHeaders }),
      }),
    ],
  });
}
