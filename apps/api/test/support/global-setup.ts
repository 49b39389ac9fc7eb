/** Vitest's global setup: the CLI and server bundles every test file starts (`inject('programs')`). */
import type { TestProject } from 'vitest/node';
import { bundlePrograms, type Programs } from './programs.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    programs: Programs;
  }
}

// Each project (vitest.config.ts's `main` and `alone`) runs this setup; they share one bundle.
const SHARED = Symbol.for('busboard.test.programs');
const shared = globalThis as { [SHARED]?: ReturnType<typeof bundlePrograms> };

export default async function setup(project: TestProject): Promise<() => void> {
  shared[SHARED] ??= bundlePrograms();
  const programs = await shared[SHARED];
  project.provide('programs', { cli: programs.cli, server: programs.server });
  return programs.remove;
}
