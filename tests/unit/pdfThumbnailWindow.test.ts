import { describe, expect, it } from 'vitest';
import { scrollToSlot, slotsInView } from '../../client/lib/pdf/thumbnailWindow';

describe('slotsInView', () => {
  it.each([
    // pages, slot, scrollTop, height, margin → first, last
    [4000, 100, 0, 800, 0, 1, 8],
    [4000, 100, 0, 800, 3, 1, 11],
    [4000, 100, 150, 800, 0, 2, 10],
    [4000, 100, 299_900, 800, 2, 2998, 3009],
    [4000, 100, 399_500, 800, 2, 3994, 4000],
    [4000, 100, 200_000, 800, 5, 1996, 2013],
    [9, 100, 0, 800, 3, 1, 9],
    [3, 100, 0, 800, 0, 1, 3],
    [1, 100, 0, 0, 0, 1, 1],
    // Scrolled past the end (a shrinking list): the last page still exists.
    [10, 100, 5000, 800, 0, 10, 10],
    [0, 100, 0, 800, 3, 1, 0],
  ])('%i pages of %i px at %i, view %i px, margin %i → %i..%i', (pages, slot, top, height, margin, first, last) => {
    expect(slotsInView(pages, slot, top, height, margin)).toEqual({ first, last });
  });

  it('never builds more than the view and the margins, whatever the length', () => {
    for (const pages of [10, 1000, 100_000]) {
      const { first, last } = slotsInView(pages, 120, pages * 60, 900, 4);
      expect(last - first + 1).toBeLessThanOrEqual(Math.ceil(900 / 120) + 1 + 8);
    }
  });
});

describe('scrollToSlot', () => {
  it.each([
    // n, slot, scrollTop, height → scrollTop
    [1, 100, 0, 800, 0],
    [5, 100, 0, 800, 0],
    [8, 100, 0, 800, 0],
    [9, 100, 0, 800, 100],
    [3000, 100, 0, 800, 299_200],
    [2, 100, 500, 800, 100],
    [7, 100, 500, 800, 500],
  ])('page %i, slots of %i px, at %i in %i px → %i', (n, slot, top, height, expected) => {
    expect(scrollToSlot(n, slot, top, height)).toBe(expected);
  });
});
