/**
 * Playwright's global setup: the server and the CLI bundled once (apps/api/test/support/programs.ts),
 * so each spec's server and CLI run start with plain `node` instead of through tsx's loader. startApp
 * reads the server's path from BUSBOARD_E2E_SERVER, specs the CLI's from BUSBOARD_E2E_CLI (the
 * workers inherit the environment set here). vitest's cli.test.ts checks the bundle answers as
 * bin/busboard.js does.
 */
import { bundlePrograms } from '../../apps/api/test/support/programs.ts';

export default async function globalSetup(): Promise<() => void> {
  const programs = await bundlePrograms();
  process.env.BUSBOARD_E2E_SERVER = programs.server;
  process.env.BUSBOARD_E2E_CLI = programs.cli;
  return programs.remove;
}
