import { describe, expect, it } from 'vitest';
import { MUNICIPAL_OUTLINES, outlineOf, pointInOutline, ringSide, type Outline, type Ring } from '../../protocol/municipalOutlines';

// Points are [lat, lng]. A concave "U": a square 0..4 with a notch cut from the north edge (lat 2..4, lng 1.5..2.5).
const U: Ring = [[0, 0], [0, 4], [4, 4], [4, 2.5], [2, 2.5], [2, 1.5], [4, 1.5], [4, 0]];
const square = (lat0: number, lng0: number, side: number): Ring => [[lat0, lng0], [lat0, lng0 + side], [lat0 + side, lng0 + side], [lat0 + side, lng0]];

describe('ringSide (ray casting, [lat, lng])', () => {
  it.each([
    ['inside the body', 1, 1, 'inside'],
    ['inside a prong', 3, 0.5, 'inside'],
    ['inside the other prong', 3, 3.5, 'inside'],
    ['in the notch (concave)', 3, 2, 'outside'],
    ['outside north', 5, 1, 'outside'],
    ['outside west', 1, -1, 'outside'],
    ['outside east, level with two vertices', 4, 5, 'outside'],
    ['on the south edge', 0, 2, 'edge'],
    ['on the notch floor', 2, 2, 'edge'],
    ['on a vertex', 4, 4, 'edge'],
    ['on a reflex vertex', 2, 1.5, 'edge'],
    ['within 1e-8° of an edge (rounding)', 1e-8, 2, 'edge'],
    ['level with the notch floor, west of the notch', 2, 1, 'inside'],
    ['level with the notch floor, east of the notch', 2, 3, 'inside'],
    ['level with the prong tips, inside the prong', 4 - 1e-6, 0.5, 'inside'],
  ])('%s (%f, %f) → %s', (_name, lat, lng, side) => {
    expect(ringSide(lat, lng, U)).toBe(side);
  });

  it('does not depend on the ring\'s direction', () => {
    const reversed = [...U].reverse();
    for (const [lat, lng] of [[1, 1], [3, 2], [0, 2], [5, 5], [3, 3.5]] as const) expect(ringSide(lat, lng, reversed)).toBe(ringSide(lat, lng, U));
  });

  it('reads latitude first: a tall thin ring is not its mirror', () => {
    const tall: Ring = [[0, 0], [0, 1], [10, 1], [10, 0]];
    expect([ringSide(5, 0.5, tall), ringSide(0.5, 5, tall)]).toEqual(['inside', 'outside']);
  });
});

describe('pointInOutline (parts and holes)', () => {
  // Two parts; the first has a hole 4..6.
  const outline: Outline = [[square(0, 0, 10), square(4, 4, 2)], [square(20, 20, 2)]];
  it.each([
    ['in the first part', 1, 1, true],
    ['in the hole', 5, 5, false],
    ['on the hole\'s edge (still the boundary)', 4, 5, true],
    ['in the second part', 21, 21, true],
    ['between the parts', 15, 15, false],
    ['on the outer edge', 0, 5, true],
  ])('%s → %s', (_name, lat, lng, inside) => {
    expect(pointInOutline({ lat, lng }, outline)).toBe(inside);
  });
});

describe('the seeded outlines', () => {
  it.each([
    ['ADR', 36.7791, 8.6872, true], // Ain Draham town centre
    ['ADR', 36.955, 8.757, false], // Tabarka
    ['TBK', 36.955, 8.757, true],
    ['TBK', 36.7791, 8.6872, false],
    ['ADR', 36.8, 10.18, false], // Tunis
  ])('%s holds (%f, %f): %s', (code, lat, lng, inside) => {
    expect(pointInOutline({ lat, lng }, outlineOf(code)!)).toBe(inside);
  });

  it('knows no outline for an unknown code, nor for an inherited property name', () => {
    expect([outlineOf('XXX'), outlineOf('toString')]).toEqual([undefined, undefined]);
  });

  it('lies in Tunisia, east of Greenwich and far from the antimeridian (no wrap needed)', () => {
    for (const point of Object.values(MUNICIPAL_OUTLINES).flat(3)) {
      expect(point[0]).toBeGreaterThan(30);
      expect(point[0]).toBeLessThan(38);
      expect(point[1]).toBeGreaterThan(7);
      expect(point[1]).toBeLessThan(12);
    }
  });
});
