import { describe, expect, it } from 'vitest';
import { permitValidity } from '../../server/domain/permitValidity';

describe('permitValidity', () => {
  it.each([
    ['an ordinary day', '2026-12-02', '2029-12-02', '2029-11-02'],
    ['the first of a month', '2026-03-01', '2029-03-01', '2029-02-01'],
    ['29 February, to a year without one', '2028-02-29', '2031-02-28', '2031-01-28'],
    ['the 31st, with a shorter month before expiry', '2026-03-31', '2029-03-31', '2029-02-28'],
    ['January: the month before is last year\'s December', '2027-01-15', '2030-01-15', '2029-12-15'],
    ['the last day of the year', '2026-12-31', '2029-12-31', '2029-11-30'],
  ])('%s: signed %s → valid until %s, extension asked by %s', (_n, signedOn, validUntil, extensionRequestBy) => {
    expect(permitValidity(signedOn)).toEqual({ validUntil, extensionRequestBy });
  });
});
