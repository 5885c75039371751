/**
 * Pure geometry of the dossier viewer: zoom scales, canvas budgets, the tile grid of the
 * detail region and normalised ↔ pixel conversions. No DOM, no pdf.js: tested by tables.
 */
import type { Rotation } from '../../../protocol/markupGeometry';

/** CSS pixels per PDF point: 100 % shows a plan at its real size, as pdf.js's own viewer does. */
export const CSS_PX_PER_PT = 96 / 72;

/** The page rotations, as the markups' page geometry (protocol/markupGeometry) knows them. */
export type { Rotation };
export const ROTATIONS: readonly Rotation[] = [0, 90, 180, 270];

export type Zoom = { mode: 'fit-width' } | { mode: 'fit-page' } | { mode: 'scale'; scale: number };

/** Percentages offered in the zoom menu, and the steps of the zoom buttons. */
export const ZOOM_STEPS = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 3, 4, 6, 8] as const;
export const MIN_SCALE = ZOOM_STEPS[0];
export const MAX_SCALE = ZOOM_STEPS[ZOOM_STEPS.length - 1];

export interface Size {
  width: number;
  height: number;
}
export interface Rect extends Size {
  x: number;
  y: number;
}
export interface Point {
  x: number;
  y: number;
}

/** The page's size in points once rotated (90 and 270 swap width and height). */
export function rotatedSize(page: Size, rotation: Rotation): Size {
  return rotation % 180 === 0 ? page : { width: page.height, height: page.width };
}

/**
 * The scale (1 = 100 %) a zoom gives for a page of `page` points, rotated, inside a
 * viewport of `viewport` CSS pixels less `gutter` on each side.
 */
export function scaleFor(zoom: Zoom, page: Size, rotation: Rotation, viewport: Size, gutter = 0): number {
  if (zoom.mode === 'scale') return clampScale(zoom.scale);
  const r = rotatedSize(page, rotation);
  const w = Math.max(1, viewport.width - 2 * gutter) / (r.width * CSS_PX_PER_PT);
  if (zoom.mode === 'fit-width') return clampScale(w);
  const h = Math.max(1, viewport.height - 2 * gutter) / (r.height * CSS_PX_PER_PT);
  return clampScale(Math.min(w, h));
}

export function clampScale(scale: number): number {
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));
}

/** The next zoom step above (`dir` 1) or below (-1) the current scale. */
export function stepScale(scale: number, dir: 1 | -1): number {
  const eps = 1e-6;
  if (dir > 0) return ZOOM_STEPS.find((s) => s > scale + eps) ?? MAX_SCALE;
  return [...ZOOM_STEPS].reverse().find((s) => s < scale - eps) ?? MIN_SCALE;
}

/** The page's displayed size in CSS pixels at `scale`, rotated. */
export function sheetSize(page: Size, rotation: Rotation, scale: number): Size {
  const r = rotatedSize(page, rotation);
  return { width: r.width * CSS_PX_PER_PT * scale, height: r.height * CSS_PX_PER_PT * scale };
}

/**
 * How the whole-page canvas is drawn: at `dpr` device pixels per CSS pixel when that fits
 * `maxPixels`, else at the largest resolution that does (then `reduced` is true and the
 * visible part is redrawn sharp by the detail canvas).
 */
export function baseResolution(sheet: Size, dpr: number, maxPixels: number): { pixelRatio: number; reduced: boolean } {
  const full = sheet.width * sheet.height * dpr * dpr;
  if (full <= maxPixels) return { pixelRatio: dpr, reduced: false };
  return { pixelRatio: Math.sqrt(maxPixels / (sheet.width * sheet.height)), reduced: true };
}

/**
 * The detail region for a zoomed-in page: the union of the grid tiles (`tile` CSS px
 * square, aligned on the sheet's origin) that the visible rectangle touches, clipped to
 * the sheet. Snapping to the grid means small scrolls inside the same tiles need no
 * redraw. Null when nothing of the sheet is visible.
 */
export function detailRegion(visible: Rect, sheet: Size, tile: number): Rect | null {
  const x0 = Math.max(0, visible.x), y0 = Math.max(0, visible.y);
  const x1 = Math.min(sheet.width, visible.x + visible.width), y1 = Math.min(sheet.height, visible.y + visible.height);
  if (x1 <= x0 || y1 <= y0) return null;
  const left = Math.floor(x0 / tile) * tile, top = Math.floor(y0 / tile) * tile;
  const right = Math.min(sheet.width, Math.ceil(x1 / tile) * tile), bottom = Math.min(sheet.height, Math.ceil(y1 / tile) * tile);
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/** The tiles (column, row) of the grid covering a region, for tests and the debug overlay. */
export function tilesOf(region: Rect, tile: number): { col: number; row: number }[] {
  const tiles: { col: number; row: number }[] = [];
  for (let row = Math.floor(region.y / tile); row * tile < region.y + region.height; row++)
    for (let col = Math.floor(region.x / tile); col * tile < region.x + region.width; col++) tiles.push({ col, row });
  return tiles;
}

/** Whether two rectangles are the same region (so a detail canvas can be kept). */
export function sameRect(a: Rect | null, b: Rect | null): boolean {
  return a === b || (!!a && !!b && a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height);
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/**
 * The scroll position as the point of the sheet at the centre of the viewport, in
 * fractions of the sheet (0..1): independent of screen size and zoom, so a follower with
 * another screen centres the same part of the plan. `origin` is where the sheet starts
 * inside the scrolled content (the gutter, or the centring margin).
 */
export function scrollToNormalised(scroll: Point, viewport: Size, sheet: Size, origin: Point): Point {
  return {
    x: sheet.width > 0 ? clamp01((scroll.x - origin.x + viewport.width / 2) / sheet.width) : 0.5,
    y: sheet.height > 0 ? clamp01((scroll.y - origin.y + viewport.height / 2) / sheet.height) : 0.5,
  };
}

/** The scrollLeft/scrollTop that centre the normalised point, clamped to 0..maxScroll. */
export function normalisedToScroll(norm: Point, viewport: Size, sheet: Size, origin: Point, maxScroll: Point): Point {
  return {
    x: Math.min(maxScroll.x, Math.max(0, origin.x + norm.x * sheet.width - viewport.width / 2)),
    y: Math.min(maxScroll.y, Math.max(0, origin.y + norm.y * sheet.height - viewport.height / 2)),
  };
}

/**
 * A point on the displayed (rotated) sheet, in fractions of it, to fractions of the
 * unrotated page: the presenter's pointer stays on the same spot of the plan whatever
 * rotation a follower uses.
 */
export function sheetToPage(p: Point, rotation: Rotation): Point {
  switch (rotation) {
    case 0:
      return p;
    case 90:
      return { x: p.y, y: 1 - p.x };
    case 180:
      return { x: 1 - p.x, y: 1 - p.y };
    case 270:
      return { x: 1 - p.y, y: p.x };
  }
}

/** The inverse of sheetToPage. */
export function pageToSheet(p: Point, rotation: Rotation): Point {
  switch (rotation) {
    case 0:
      return p;
    case 90:
      return { x: 1 - p.y, y: p.x };
    case 180:
      return { x: 1 - p.x, y: 1 - p.y };
    case 270:
      return { x: p.y, y: 1 - p.x };
  }
}
