import { describe, expect, it } from 'vitest';
import { sameBallots, type BallotLine } from '../../server/domain/recordCheck';

const b = (userId: number, choice: string): BallotLine => ({ userId, choice });

describe('sameBallots', () => {
  it.each<[string, BallotLine[], BallotLine[] | null | undefined, boolean]>([
    ['the same, same order', [b(1, 'favourable'), b(2, 'abstain')], [b(1, 'favourable'), b(2, 'abstain')], true],
    ['the same, other order', [b(2, 'abstain'), b(1, 'favourable')], [b(1, 'favourable'), b(2, 'abstain')], true],
    ['no ballots on either side', [], [], true],
    ['a choice changed', [b(1, 'unfavourable'), b(2, 'abstain')], [b(1, 'favourable'), b(2, 'abstain')], false],
    ['a ballot added', [b(1, 'favourable'), b(2, 'abstain'), b(3, 'favourable')], [b(1, 'favourable'), b(2, 'abstain')], false],
    ['a ballot removed', [b(1, 'favourable')], [b(1, 'favourable'), b(2, 'abstain')], false],
    ['a ballot moved to another member', [b(1, 'favourable'), b(3, 'abstain')], [b(1, 'favourable'), b(2, 'abstain')], false],
    ['no entry recorded', [b(1, 'favourable')], null, false],
    ['an entry without ballots', [], undefined, false],
  ])('%s', (_n, stored, recorded, expected) => {
    expect(sameBallots(stored, recorded)).toBe(expected);
  });
});
