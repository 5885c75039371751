import { describe, expect, it } from 'vitest';
import {
  baseResolution,
  CSS_PX_PER_PT,
  detailRegion,
  MAX_SCALE,
  MIN_SCALE,
  normalisedToScroll,
  pageToSheet,
  ROTATIONS,
  scaleFor,
  scrollToNormalised,
  sheetSize,
  sheetToPage,
  stepScale,
  tilesOf,
  type Rotation,
  type Zoom,
} from '../../client/lib/pdf/geometry';

const A4 = { width: 595, height: 842 };
const A0 = { width: 2384, height: 3370 };
const PX = CSS_PX_PER_PT;

describe('scaleFor', () => {
  it.each<[string, Zoom, Rotation, { width: number; height: number }, number]>([
    ['fit width, portrait', { mode: 'fit-width' }, 0, { width: 595 * PX, height: 300 }, 1],
    ['fit width, rotated: the long side across', { mode: 'fit-width' }, 90, { width: 842 * PX, height: 300 }, 1],
    ['fit page limited by height', { mode: 'fit-page' }, 0, { width: 2000, height: 842 * PX * 0.5 }, 0.5],
    ['fit page limited by width', { mode: 'fit-page' }, 0, { width: 595 * PX * 0.75, height: 5000 }, 0.75],
    ['fit page rotated', { mode: 'fit-page' }, 270, { width: 842 * PX, height: 595 * PX }, 1],
    ['a percentage is kept', { mode: 'scale', scale: 1.5 }, 0, { width: 10, height: 10 }, 1.5],
    ['a percentage is clamped above', { mode: 'scale', scale: 50 }, 0, { width: 10, height: 10 }, MAX_SCALE],
    ['fit width never below the minimum', { mode: 'fit-width' }, 0, { width: 1, height: 1 }, MIN_SCALE],
  ])('%s', (_name, zoom, rotation, viewport, expected) => {
    expect(scaleFor(zoom, A4, rotation, viewport)).toBeCloseTo(expected, 6);
  });

  it('leaves the gutter on both sides', () => {
    expect(scaleFor({ mode: 'fit-width' }, A4, 0, { width: 595 * PX + 24, height: 1 }, 12)).toBeCloseTo(1, 6);
  });
});

describe('stepScale', () => {
  it.each([
    [1, 1, 1.25],
    [1, -1, 0.75],
    [1.1, 1, 1.25],
    [1.1, -1, 1],
    [MAX_SCALE, 1, MAX_SCALE],
    [MIN_SCALE, -1, MIN_SCALE],
  ] as const)('from %s by %s → %s', (from, dir, to) => expect(stepScale(from, dir)).toBe(to));
});

describe('baseResolution', () => {
  it.each([
    ['A4 at fit width, dpr 2: full resolution', sheetSize(A4, 0, 1), 2, { pixelRatio: 2, reduced: false }],
    ['A0 at 100 %, dpr 2: capped', sheetSize(A0, 0, 1), 2, { reduced: true }],
  ] as const)('%s', (_n, sheet, dpr, expected) => {
    const res = baseResolution(sheet, dpr, 4096 * 4096);
    expect(res).toMatchObject(expected);
    expect(sheet.width * sheet.height * res.pixelRatio ** 2).toBeLessThanOrEqual(4096 * 4096 + 1);
  });
});

describe('detailRegion and its tiles', () => {
  const sheet = { width: 3000, height: 2000 };
  it.each([
    ['inside one tile', { x: 10, y: 10, width: 100, height: 100 }, { x: 0, y: 0, width: 512, height: 512 }, 1],
    ['across tile borders', { x: 500, y: 1000, width: 600, height: 100 }, { x: 0, y: 512, width: 1536, height: 1024 }, 6],
    ['clipped at the sheet edge', { x: 2800, y: 1900, width: 800, height: 800 }, { x: 2560, y: 1536, width: 440, height: 464 }, 1],
    ['scrolled before the sheet (gutter)', { x: -12, y: -12, width: 400, height: 300 }, { x: 0, y: 0, width: 512, height: 512 }, 1],
  ])('%s', (_n, visible, region, tiles) => {
    const r = detailRegion(visible, sheet, 512)!;
    expect(r).toEqual(region);
    expect(tilesOf(r, 512)).toHaveLength(tiles);
  });
  it('is null when nothing of the sheet is visible', () => {
    expect(detailRegion({ x: 3100, y: 0, width: 100, height: 100 }, sheet, 512)).toBeNull();
  });
  it('does not move for a small scroll within the same tiles', () => {
    expect(detailRegion({ x: 520, y: 520, width: 300, height: 300 }, sheet, 512)).toEqual(detailRegion({ x: 530, y: 600, width: 300, height: 300 }, sheet, 512));
  });
});

describe('normalised scroll ↔ pixels', () => {
  const viewport = { width: 800, height: 600 };
  const sheet = { width: 4000, height: 3000 };
  const origin = { x: 12, y: 12 };
  const max = { x: 4024 - 800, y: 3024 - 600 };
  it.each([
    [{ x: 0.5, y: 0.5 }, { x: 12 + 2000 - 400, y: 12 + 1500 - 300 }],
    [{ x: 0, y: 0 }, { x: 0, y: 0 }],
    [{ x: 1, y: 1 }, max],
    [{ x: 0.25, y: 0.8 }, { x: 12 + 1000 - 400, y: 12 + 2400 - 300 }],
  ])('%o ↔ %o', (norm, scroll) => {
    expect(normalisedToScroll(norm, viewport, sheet, origin, max)).toEqual(scroll);
  });
  it('round-trips wherever the page can scroll that far', () => {
    for (const norm of [{ x: 0.3, y: 0.4 }, { x: 0.5, y: 0.5 }, { x: 0.7, y: 0.2 }]) {
      const back = scrollToNormalised(normalisedToScroll(norm, viewport, sheet, origin, max), viewport, sheet, origin);
      expect(back.x).toBeCloseTo(norm.x, 9);
      expect(back.y).toBeCloseTo(norm.y, 9);
    }
  });
  it('keeps the same spot centred on a smaller screen', () => {
    const norm = scrollToNormalised({ x: 1000, y: 700 }, viewport, sheet, origin);
    const phone = { width: 390, height: 700 };
    const s = normalisedToScroll(norm, phone, sheet, origin, { x: 4024 - 390, y: 3024 - 700 });
    expect(s.x + phone.width / 2).toBeCloseTo(1000 + viewport.width / 2, 6);
  });
});

describe('pointer: sheet ↔ unrotated page', () => {
  const expectNear = (a: { x: number; y: number }, b: { x: number; y: number }) => {
    expect(a.x).toBeCloseTo(b.x, 12);
    expect(a.y).toBeCloseTo(b.y, 12);
  };
  it.each([
    [0, { x: 0, y: 0 }, { x: 0, y: 0 }],
    [90, { x: 0, y: 0 }, { x: 1, y: 0 }], // the page's top-left corner is top-right after a quarter turn clockwise
    [180, { x: 0, y: 0 }, { x: 1, y: 1 }],
    [270, { x: 0, y: 0 }, { x: 0, y: 1 }],
    [90, { x: 0.2, y: 0.1 }, { x: 0.9, y: 0.2 }],
  ] as const)('rotation %s: page %o is on the sheet at %o', (rotation, onPage, onSheet) => {
    expectNear(pageToSheet(onPage, rotation), onSheet);
    expectNear(sheetToPage(onSheet, rotation), onPage);
  });
  it('round-trips for every rotation', () => {
    for (const r of ROTATIONS) expectNear(sheetToPage(pageToSheet({ x: 0.3, y: 0.7 }, r), r), { x: 0.3, y: 0.7 });
  });
});
