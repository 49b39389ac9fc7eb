import type { AppRouter } from '@busboard/api';
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { authHeaders, isUnauthorized, noticeAuthError } from './auth/token.ts';

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
  return createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: '/trpc', headers: authHeaders })] });
}
