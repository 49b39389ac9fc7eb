/**
 * Playwright's global setup: the server bundled once (apps/api/test/support/programs.ts), so each
 * spec's server starts with plain `node` instead of through tsx's loader. startApp reads the path
 * from BUSBOARD_E2E_SERVER (the workers inherit the environment set here).
 */
import { bundlePrograms } from '../../apps/api/test/support/programs.ts';

export default async function globalSetup(): Promise<() => void> {
  const programs = await bundlePrograms();
  process.env.BUSBOARD_E2E_SERVER = programs.server;
  return programs.remove;
}
