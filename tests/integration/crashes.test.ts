import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crashRun, type CrashPoint } from '../support/crashes';
import { createTestStore, type TestStore } from '../support/database';

let store: TestStore;
beforeAll(async () => {
  store = await createTestStore('lajna-crash-');
});
afterAll(() => store.remove());

/**
 * kill -9 of the server process at four points, then a restart on the same data. A few
 * fixed timings here; bench/abuse.ts repeats them with random timing.
 */
describe('a server killed with SIGKILL, restarted on the same data', () => {
  it.each<[CrashPoint, number]>([['vote', 120], ['close', 3], ['upload', 80], ['finalize', 150]])('mid-%s (%i ms in): nothing acknowledged lost, nothing half-written kept', async (point, delayMs) => {
    const report = await crashRun(store, point, delayMs);
    expect(report.violations).toEqual([]);
    expect(report.found).toBe(report.acked);
    if (point !== 'upload' && point !== 'vote') expect(report.acked).toBe(6);
  }, 300_000);
});
