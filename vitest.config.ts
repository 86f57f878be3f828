import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['server/src/**/*.test.ts', 'e2e/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // every audit entry a test writes must be declared and labelled in every language (server/src/audit/audit-vocabulary.ts)
    setupFiles: ['server/src/test/audit-vocabulary.setup.ts'],
    // expect.poll waits for a page or a job to show a state: on a busy machine a lazily loaded page can take seconds,
    // so a poll without its own timeout waits this long (vitest's default is one second)
    expect: { poll: { timeout: 20_000, interval: 100 } },
  },
});
