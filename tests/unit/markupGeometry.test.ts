import { describe, expect, it } from 'vitest';
import {
  areaInSquarePoints, calibrationScale, formatMeasurement, formatRatio, lengthInPoints, measure, pdfToSheet, ratioOf, scaleFromMeasure, sheetToPdf,
  type MeasureDict, type PageBox, type Rotation,
} from '../../protocol/markupGeometry';
import type { PagePoint } from '../../protocol/markups';

const A4: PageBox = { x0: 0, y0: 0, x1: 595, y1: 842 };
/** A CropBox that does not start at the origin (a plan cropped from a larger sheet). */
const CROPPED: PageBox = { x0: 100, y0: 50, x1: 400, y1: 250 };
const M_PER_PT_1_100 = (0.0254 / 72) * 100;

describe('sheetToPdf / pdfToSheet', () => {
  // [name, box, rotation, pixels per point, sheet point, PDF point]
  it.each<[string, PageBox, Rotation, number, { x: number; y: number }, PagePoint]>([
    ['top-left of an A4 at 100 %', A4, 0, 1, { x: 0, y: 0 }, [0, 842]],
    ['bottom-right of an A4 at 100 %', A4, 0, 1, { x: 595, y: 842 }, [595, 0]],
    ['zoom 2: pixels are half points', A4, 0, 2, { x: 200, y: 100 }, [100, 792]],
    ['HiDPI / CSS scale 96/72', A4, 0, 96 / 72, { x: 96, y: 96 }, [72, 770]],
    ['rotated 90: the sheet top-right is the page top-left', A4, 90, 1, { x: 842, y: 0 }, [0, 842]],
    ['rotated 90: the sheet top-left is the page bottom-left', A4, 90, 1, { x: 0, y: 0 }, [0, 0]],
    ['rotated 180: the sheet top-left is the page bottom-right', A4, 180, 1, { x: 0, y: 0 }, [595, 0]],
    ['rotated 270: the sheet top-left is the page top-right', A4, 270, 1, { x: 0, y: 0 }, [595, 842]],
    ['rotated 270 at zoom 2', A4, 270, 2, { x: 100, y: 50 }, [570, 792]],
    ['cropbox offset: the sheet origin is the crop top-left', CROPPED, 0, 1, { x: 0, y: 0 }, [100, 250]],
    ['cropbox offset rotated 90', CROPPED, 90, 1, { x: 200, y: 300 }, [400, 250]],
    ['cropbox offset rotated 180 at zoom 1.5', CROPPED, 180, 1.5, { x: 150, y: 150 }, [300, 150]],
  ])('%s', (_name, box, rotation, k, sheet, pdf) => {
    const got = sheetToPdf(sheet, box, rotation, k);
    expect(got[0]).toBeCloseTo(pdf[0], 9);
    expect(got[1]).toBeCloseTo(pdf[1], 9);
    const back = pdfToSheet(pdf, box, rotation, k);
    expect(back.x).toBeCloseTo(sheet.x, 9);
    expect(back.y).toBeCloseTo(sheet.y, 9);
  });

  it('round-trips every rotation, zoom and offset', () => {
    for (const rotation of [0, 90, 180, 270] as Rotation[])
      for (const k of [0.25, 1, 96 / 72, 3.7])
        for (const p of [[0, 0], [13.5, 701], [333, 44]] as PagePoint[]) {
          const box = { x0: -20, y0: 30, x1: 575, y1: 872 };
          const q = sheetToPdf(pdfToSheet(p, box, rotation, k), box, rotation, k);
          expect(q[0]).toBeCloseTo(p[0], 9);
          expect(q[1]).toBeCloseTo(p[1], 9);
        }
  });
});

describe('lengths, areas and measurements', () => {
  it.each<[string, PagePoint[], number]>([
    ['a horizontal segment', [[0, 0], [10, 0]], 10],
    ['a 3-4-5 triangle side', [[1, 1], [4, 5]], 5],
    ['a polyline adds its segments', [[0, 0], [3, 4], [3, 10]], 11],
    ['one point has no length', [[7, 7]], 0],
  ])('length of %s', (_n, points, expected) => expect(lengthInPoints(points)).toBeCloseTo(expected, 9));

  it.each<[string, PagePoint[], number]>([
    ['a unit square', [[0, 0], [1, 0], [1, 1], [0, 1]], 1],
    ['the same square clockwise', [[0, 0], [0, 1], [1, 1], [1, 0]], 1],
    ['a right triangle', [[0, 0], [4, 0], [0, 3]], 6],
    ['an L shape (concave)', [[0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2]], 3],
    ['a degenerate line', [[0, 0], [1, 1], [2, 2]], 0],
  ])('area of %s', (_n, points, expected) => expect(areaInSquarePoints(points)).toBeCloseTo(expected, 9));

  it.each<[string, 'distance' | 'area', PagePoint[], number, { value: number; unit: 'm' | 'm2' }]>([
    ['5 cm on a 1:100 plan is 5 m', 'distance', [[0, 0], [141.7323, 0]], M_PER_PT_1_100, { value: 5, unit: 'm' }],
    ['10 m at a calibrated 0.05 m/pt', 'distance', [[0, 0], [120, 160]], 0.05, { value: 10, unit: 'm' }],
    ['a 5 m × 5 m square at 1:100', 'area', [[0, 0], [141.7323, 0], [141.7323, 141.7323], [0, 141.7323]], M_PER_PT_1_100, { value: 25, unit: 'm2' }],
    ['a 200 pt × 100 pt room at 0.02 m/pt is 8 m²', 'area', [[0, 0], [200, 0], [200, 100], [0, 100]], 0.02, { value: 8, unit: 'm2' }],
  ])('%s', (_n, kind, points, mpp, expected) => {
    const m = measure(kind, points, mpp);
    expect(m.unit).toBe(expected.unit);
    expect(m.value).toBeCloseTo(expected.value, 4);
  });
});

describe('scale from a calibration', () => {
  it.each<[string, [PagePoint, PagePoint], number, number | null]>([
    ['a 100-point line of 10 m', [[0, 0], [100, 0]], 10, 0.1],
    ['a diagonal line', [[0, 0], [30, 40]], 12.5, 0.25],
    ['a line shorter than 10 points is refused', [[0, 0], [9, 0]], 1, null],
    ['zero metres is refused', [[0, 0], [100, 0]], 0, null],
  ])('%s', (_n, line, metres, expected) => {
    const s = calibrationScale(line, metres);
    if (expected === null) expect(s).toBeNull();
    else expect(s).toBeCloseTo(expected, 12);
  });

  it.each<[number, number]>([
    [M_PER_PT_1_100, 100],
    [M_PER_PT_1_100 * 2.5, 250],
    [M_PER_PT_1_100 * 1.003, 100],
    [M_PER_PT_1_100 * 0.3333, 33.33],
  ])('ratio of %f m/pt is %f', (mpp, ratio) => expect(ratioOf(mpp)).toBeCloseTo(ratio, 6));
});

describe('scale from a PDF /Measure dictionary', () => {
  // C converts one default user-space unit (a point) to the format's unit U.
  it.each<[string, MeasureDict, number | null]>([
    ['metres on the x axis', { Subtype: 'RL', R: '1 cm = 1 m', X: [{ U: 'm', C: M_PER_PT_1_100 }] }, M_PER_PT_1_100],
    ['the distance format wins over X', { Subtype: 'RL', X: [{ U: 'm', C: 1 }], D: [{ U: 'mm', C: 100 }] }, 0.1],
    ['centimetres', { X: [{ U: 'cm', C: 3.5 }] }, 0.035],
    ['feet, then inches after (only the first format converts points)', { Subtype: 'RL', X: [{ U: 'ft', C: 1 / 6 }, { U: 'in', C: 12 }] }, 0.3048 / 6],
    ['a unit label with spaces and capitals', { X: [{ U: ' M ', C: 2 }] }, 2],
    ['not rectilinear (geospatial)', { Subtype: 'GEO', X: [{ U: 'm', C: 1 }] }, null],
    ['a unit that is no length', { X: [{ U: 'px', C: 1 }] }, null],
    ['no conversion factor', { X: [{ U: 'm' }] }, null],
    ['a negative factor', { X: [{ U: 'm', C: -1 }] }, null],
    ['no number formats', { Subtype: 'RL' }, null],
    ['X and Y disagree (anamorphic)', { X: [{ U: 'm', C: 1 }], Y: [{ U: 'm', C: 2 }] }, null],
    ['X and Y agree', { X: [{ U: 'm', C: 1 }], Y: [{ U: 'cm', C: 100 }] }, 1],
    ['garbage in the array', { X: [null, 3] }, null],
  ])('%s', (_n, dict, expected) => {
    const s = scaleFromMeasure(dict);
    if (expected === null) expect(s).toBeNull();
    else expect(s).toBeCloseTo(expected, 12);
  });
});

describe('measurements in the reader\'s language', () => {
  it.each<[string, { value: number; unit: 'm' | 'm2' }, 'ar' | 'fr' | 'en', string]>([
    ['metres in French', { value: 5, unit: 'm' }, 'fr', '5,00\u00a0m'],
    ['metres in English', { value: 5, unit: 'm' }, 'en', '5.00\u00a0m'],
    ['square metres in French', { value: 25.456, unit: 'm2' }, 'fr', '25,46\u00a0m²'],
    ['metres in Arabic, Latin digits', { value: 12.5, unit: 'm' }, 'ar', '12,50\u00a0م'],
    ['square metres in Arabic', { value: 3, unit: 'm2' }, 'ar', '3,00\u00a0م²'],
  ])('%s', (_n, m, locale, expected) => expect(formatMeasurement(m, locale).replace(/[\u202f]/g, '\u00a0')).toBe(expected));

  it('writes ratios as drawings do', () => {
    expect(formatRatio(100, 'fr')).toBe('1:100');
    expect(formatRatio(1250, 'en')).toBe('1:1250');
    expect(formatRatio(123.45, 'fr')).toBe('1:123,45');
  });
});
