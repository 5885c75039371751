import type { DirectionProfile } from './shaper';

export interface LinkProfile {
  name: string;
  up: DirectionProfile;
  down: DirectionProfile;
}

const symmetric = (name: string, d: DirectionProfile): LinkProfile => ({ name, up: d, down: d });

/**
 * The links members meet from (issue 19). The queue of 300 ms and the 2 kB burst are those
 * of the `tbf rate … burst 16kbit latency 300ms` the problem was first seen with; the
 * round trip is split evenly between the two directions.
 */
export const PROFILES = {
  /** A phone in the hills: 300 kbit/s each way, 150 ms round trip, 30 ms jitter, 3 % loss. */
  rural: symmetric('rural', { rateBps: 300_000, burstBytes: 2000, delayMs: 75, jitterMs: 30, loss: 0.03, queueMs: 300 }),
  /** Worse: 150 kbit/s, 300 ms round trip, 8 % loss (jitter as rural's, scaled with the delay). */
  bad: symmetric('bad', { rateBps: 150_000, burstBytes: 2000, delayMs: 150, jitterMs: 50, loss: 0.08, queueMs: 300 }),
} satisfies Record<string, LinkProfile>;

export type ProfileName = keyof typeof PROFILES;
