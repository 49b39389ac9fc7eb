/**
 * NATS credentials saved through the app. Write-only from the outside: a secret goes in and
 * never comes back out through any procedure (the live collectors read it server side with
 * `getCredentials`). See src/secrets/README.md.
 */
import { z } from 'zod';
import type { Context } from '../context.ts';
import { PROMETHEUS_RECORD } from '../prometheus/source.ts';
import { CONNECTION_PREFIX } from '../secrets/connections.ts';
import { publicProcedure, router } from '../trpc.ts';

const CredentialName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .regex(/^[\x20-\x7e]+$/, 'must be printable ASCII')
  .refine((n) => !n.startsWith(CONNECTION_PREFIX), `names starting with "${CONNECTION_PREFIX}" hold Live-page connections; choose another`)
  .refine((n) => n !== PROMETHEUS_RECORD, `"${PROMETHEUS_RECORD}" holds the Prometheus source; choose another name`);

function credentialsOf(ctx: Context) {
  if (!ctx.credentials) throw new Error('the server was started without a credential store');
  return ctx.credentials;
}

export const credentialsRouter = router({
  /** Names and dates of the stored credentials; never their contents. */
  list: publicProcedure.query(async ({ ctx }) =>
    (await credentialsOf(ctx).listCredentials()).filter((c) => !c.name.startsWith(CONNECTION_PREFIX) && c.name !== PROMETHEUS_RECORD),
  ),

  /** Encrypts and stores (or replaces) credentials; answers with the name and dates only. */
  save: publicProcedure
    .input(z.object({ name: CredentialName, secret: z.string().min(1, 'must not be empty').max(65_536, 'must be at most 64 KiB') }))
    .mutation(({ ctx, input }) => credentialsOf(ctx).saveCredentials(input.name, input.secret)),

  delete: publicProcedure
    .input(z.object({ name: CredentialName }))
    .mutation(async ({ ctx, input }) => ({ name: input.name, deleted: await credentialsOf(ctx).deleteCredentials(input.name) })),
});
