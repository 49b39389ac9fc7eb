import { defineConfig } from 'vitest/config';

// The rehearsal test runs a dozen processes and measures time: it runs after every other file,
// alone, so neither it nor the timing-sensitive tests of other files share the CPU with it.
const ALONE = ['apps/api/test/rehearse.test.ts'];

// Pure code (core, the web app's logic, the house rules): no servers, mocks, fake timers or
// environment changes, so its files share their workers and loaded modules (`isolate: false`)
// instead of each paying a fresh process and a fresh import of core (~0.5–2 s per file on 2 cores).
const PURE = ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'apps/web/src/**/*.test.ts', 'scripts/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The CLI and the server bundled once, for every file that starts them (apps/api/test/support/programs.ts).
    globalSetup: ['apps/api/test/support/global-setup.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'pure', include: PURE, isolate: false, fileParallelism: true, maxWorkers: 2, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: {
          name: 'main',
          include: ['apps/api/src/**/*.test.ts', 'apps/api/test/**/*.test.ts'],
          exclude: ['**/node_modules/**', ...ALONE],
          // Live tests start real nats-server clusters on their own ports; keep files apart on 2 cores.
          fileParallelism: true,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      { extends: true, test: { name: 'alone', include: ALONE, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
