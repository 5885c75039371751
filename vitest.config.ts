import { defineConfig } from 'vitest/config';

// CI's count line reads one report per engine (scripts/test-summary.mjs).
const report = process.env.TEST_POSTGRES_URL ? '.tmp/vitest-report-postgres.json' : '.tmp/vitest-report.json';

// Tests run in Node against the real server; browser tests drive the built client in Chromium.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // Two cores: integration and browser tests each start a server and a mediasoup worker.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll waits for what a real browser or server does; 1 s (vitest's default) is too
    // short on a shared 2-core machine. A condition that never holds still fails, later.
    expect: { poll: { timeout: 15_000, interval: 50 } },
    reporters: process.env.CI ? ['default', ['json', { outputFile: report }]] : ['default'],
  },
});
