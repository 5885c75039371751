import type { Measurement, PagePoint } from './markups';

/**
 * The pure geometry of markups, shared by the server (which measures what is kept) and the
 * viewer (which draws and shows it live): page coordinates ↔ the displayed sheet, lengths
 * and areas with the page's scale, the scale from a PDF's /Measure dictionary or from a
 * calibration, and measurements written in the reader's language. Tested by tables.
 */

/** A page's visible box in PDF user space (pdf.js's `page.view`: the CropBox within the MediaBox). */
export interface PageBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
export type Rotation = 0 | 90 | 180 | 270;
/** A point on the displayed sheet, CSS pixels from its top-left corner. */
export interface SheetPoint {
  x: number;
  y: number;
}

/** PDF points per inch; the ratio of a drawing is read at this print size. */
const POINTS_PER_INCH = 72;
const METRES_PER_INCH = 0.0254;
const METRES_PER_POINT_AT_1_1 = METRES_PER_INCH / POINTS_PER_INCH;

/**
 * A point of the sheet shown at `pxPerPt` CSS pixels per point and rotated clockwise by
 * `rotation` to PDF user space (y upwards from the box's bottom edge, offset by the box).
 */
export function sheetToPdf(p: SheetPoint, box: PageBox, rotation: Rotation, pxPerPt: number): PagePoint {
  const w = box.x1 - box.x0, h = box.y1 - box.y0;
  const a = p.x / pxPerPt, b = p.y / pxPerPt;
  // (u, v): the unrotated page from its top-left corner, in points.
  const [u, v] = rotation === 0 ? [a, b] : rotation === 90 ? [b, h - a] : rotation === 180 ? [w - a, h - b] : [w - b, a];
  return [box.x0 + u, box.y1 - v];
}

/** The inverse of sheetToPdf. */
export function pdfToSheet([x, y]: PagePoint, box: PageBox, rotation: Rotation, pxPerPt: number): SheetPoint {
  const w = box.x1 - box.x0, h = box.y1 - box.y0;
  const u = x - box.x0, v = box.y1 - y;
  const [a, b] = rotation === 0 ? [u, v] : rotation === 90 ? [h - v, u] : rotation === 180 ? [w - u, h - v] : [v, w - u];
  return { x: a * pxPerPt, y: b * pxPerPt };
}

/** Length of a polyline in points. */
export function lengthInPoints(points: readonly PagePoint[]): number {
  let total = 0;
  for (let i = 1; i < points.length; i++) total += Math.hypot(points[i][0] - points[i - 1][0], points[i][1] - points[i - 1][1]);
  return total;
}

/** Area of the polygon the points close (shoelace), in square points; its orientation does not matter. */
export function areaInSquarePoints(points: readonly PagePoint[]): number {
  let twice = 0;
  for (let i = 0; i < points.length; i++) {
    const [x1, y1] = points[i], [x2, y2] = points[(i + 1) % points.length];
    twice += x1 * y2 - x2 * y1;
  }
  return Math.abs(twice) / 2;
}

/** What a distance or an area markup measures on a page of `metresPerPoint`. */
export function measure(kind: 'distance' | 'area', points: readonly PagePoint[], metresPerPoint: number): Measurement {
  return kind === 'distance'
    ? { value: lengthInPoints(points) * metresPerPoint, unit: 'm' }
    : { value: areaInSquarePoints(points) * metresPerPoint * metresPerPoint, unit: 'm2' };
}

/** The shortest line a calibration may be drawn along, in points: shorter, a slip of the hand is a large error. */
export const CALIBRATION_MIN_POINTS = 10;

/** The scale a calibration gives: a line drawn along a dimension of `metres`; null when the line is too short. */
export function calibrationScale(line: readonly [PagePoint, PagePoint], metres: number): number | null {
  const length = lengthInPoints(line);
  if (length < CALIBRATION_MIN_POINTS || !(metres > 0)) return null;
  return metres / length;
}

/** The drawing's ratio (100 for 1:100) if printed at 72 points per inch, rounded when within 0.5 % of a whole number. */
export function ratioOf(metresPerPoint: number): number {
  const exact = metresPerPoint / METRES_PER_POINT_AT_1_1;
  const whole = Math.round(exact);
  return whole > 0 && Math.abs(exact - whole) / whole <= 0.005 ? whole : Math.round(exact * 100) / 100;
}

/** Metres per unit of the labels a /Measure number format may carry (`U`); anything else is not a length we can convert. */
const UNIT_METRES: Readonly<Record<string, number>> = {
  m: 1, cm: 0.01, mm: 0.001, km: 1000, in: METRES_PER_INCH, '"': METRES_PER_INCH, ft: 0.3048, "'": 0.3048, yd: 0.9144, mi: 1609.344,
};

/** A number format dictionary of a /Measure (PDF 32000-1 §12.9.2, table 265): the label and the conversion factor. */
export interface NumberFormat {
  U?: unknown;
  C?: unknown;
}
/** A rectilinear measure dictionary (table 263), as read from the page's /VP viewport. */
export interface MeasureDict {
  Subtype?: unknown;
  R?: unknown;
  X?: unknown;
  Y?: unknown;
  D?: unknown;
}

/**
 * Metres per point from a /Measure dictionary: the first number format of the distance
 * array /D (else of the x axis /X) converts user space units to its unit `U` by `C`.
 * Null when the dictionary is not rectilinear, has no usable factor, or a unit that is
 * not a length (a drawing "in pixels" has no scale on the ground); /X and /Y with
 * different factors (an anamorphic viewport) are not a single scale either.
 */
export function scaleFromMeasure(m: MeasureDict): number | null {
  if (m.Subtype !== undefined && m.Subtype !== 'RL') return null;
  const x = metresPerUnit(m.X);
  const y = m.Y === undefined ? x : metresPerUnit(m.Y);
  if (x !== null && y !== null && Math.abs(x - y) > 1e-9 * Math.max(x, y)) return null;
  return metresPerUnit(m.D) ?? x;
}

function metresPerUnit(formats: unknown): number | null {
  if (!Array.isArray(formats) || formats.length === 0) return null;
  const first = formats[0] as NumberFormat | null;
  if (!first || typeof first !== 'object') return null;
  const factor = first.C, unit = typeof first.U === 'string' ? first.U.trim().toLowerCase() : undefined;
  if (typeof factor !== 'number' || !Number.isFinite(factor) || factor <= 0 || unit === undefined) return null;
  const metres = UNIT_METRES[unit];
  return metres === undefined ? null : factor * metres;
}

export type ReaderLocale = 'ar' | 'fr' | 'en';

const UNIT_LABEL: Readonly<Record<ReaderLocale, Record<Measurement['unit'], string>>> = {
  ar: { m: 'م', m2: 'م²' },
  fr: { m: 'm', m2: 'm²' },
  en: { m: 'm', m2: 'm²' },
};

/** A measurement as the reader writes numbers (two decimals, Latin digits as Tunisia does), with its unit. */
export function formatMeasurement(m: Measurement, locale: ReaderLocale): string {
  const n = new Intl.NumberFormat(`${locale}-TN-u-nu-latn`, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(m.value);
  return `${n}\u00a0${UNIT_LABEL[locale][m.unit]}`;
}

/** A ratio as drawings state it: "1:100". */
export function formatRatio(ratio: number, locale: ReaderLocale): string {
  return `1:${new Intl.NumberFormat(`${locale}-TN-u-nu-latn`, { maximumFractionDigits: 2, useGrouping: false }).format(ratio)}`;
}
