import { describe, expect, it } from 'vitest';
import { holdsBulk } from '../../client/meeting/signalling';

describe("holdsBulk: which answers a weak line's document ranges wait for", () => {
  it.each<[string, boolean]>([
    ['castBallot', true],
    ['chat', true],
    ['present', true],
    ['join', true],
    // Sent by the client itself every round or on every move.
    ['setConsumerLayers', false],
    ['setQuality', false],
    ['pointer', false],
  ])('%s → %s', (event, holds) => expect(holdsBulk(event)).toBe(holds));
});
