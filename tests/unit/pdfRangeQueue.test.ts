import { describe, expect, it } from 'vitest';
import { nextPiece, piecesOf, type QueuedPiece } from '../../client/lib/pdf/rangeQueue';

describe('piecesOf', () => {
  const held = (...blocks: number[]) => (b: number) => blocks.includes(b);
  it.each([
    ['nothing held, no limit', 0, 5, held(), Infinity, [[0, 5]]],
    ['nothing held, 2 per piece', 0, 4, held(), 2, [[0, 1], [2, 3], [4, 4]]],
    ['one per piece', 3, 5, held(), 1, [[3, 3], [4, 4], [5, 5]]],
    ['holes around held blocks', 0, 6, held(2, 3), Infinity, [[0, 1], [4, 6]]],
    ['holes cut by the limit', 0, 6, held(2), 3, [[0, 1], [3, 5], [6, 6]]],
    ['everything held', 1, 3, held(1, 2, 3), 2, []],
    ['a single block', 7, 7, held(), 4, [[7, 7]]],
  ] as const)('%s', (_, first, last, isHeld, perPiece, expected) => {
    expect(piecesOf(first, last, isHeld, perPiece).map((p) => [p.first, p.last])).toEqual(expected);
  });
});

describe('nextPiece', () => {
  const q = (...pieces: [first: number, priority: number][]): QueuedPiece[] => pieces.map(([first, priority]) => ({ first, last: first, priority }));
  it.each([
    ['empty queue', q(), -1],
    ['the latest read first', q([0, 1], [9, 3], [4, 2]), 1],
    ['earliest in the file among the latest read', q([8, 2], [5, 2], [6, 2]), 1],
    ['an old piece a later read also waits for', q([0, 5], [3, 4]), 0],
  ] as const)('%s', (_, queue, expected) => {
    expect(nextPiece(queue)).toBe(expected);
  });
});
