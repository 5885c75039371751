import type { SheetPoint } from '../../../protocol/markupGeometry';

/**
 * SVG geometry of the markups on the displayed sheet (CSS pixels, after zoom and rotation):
 * a path per shape, so every shape scales with the page and keeps a readable line width.
 */

const pt = (p: SheetPoint) => `${p.x.toFixed(1)} ${p.y.toFixed(1)}`;

export const polyline = (points: readonly SheetPoint[]) => points.map((p, i) => `${i ? 'L' : 'M'}${pt(p)}`).join(' ');
export const polygon = (points: readonly SheetPoint[]) => `${polyline(points)} Z`;

/** The line and an arrowhead at `head`, `size` pixels long. */
export function arrow(tail: SheetPoint, head: SheetPoint, size: number): string {
  const a = Math.atan2(head.y - tail.y, head.x - tail.x);
  const wing = (da: number) => ({ x: head.x - size * Math.cos(a + da), y: head.y - size * Math.sin(a + da) });
  return `M${pt(tail)} L${pt(head)} M${pt(wing(0.45))} L${pt(head)} L${pt(wing(-0.45))}`;
}

/** The axis-aligned rectangle two opposite corners span (rotations by quarter turns keep it one). */
export function box(a: SheetPoint, b: SheetPoint): { x: number; y: number; width: number; height: number } {
  return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), width: Math.abs(a.x - b.x), height: Math.abs(a.y - b.y) };
}

/** A revision cloud: the rectangle's edges as a chain of outward arcs about `bump` pixels wide. */
export function cloud(a: SheetPoint, b: SheetPoint, bump: number): string {
  const r = box(a, b);
  const corners = [{ x: r.x, y: r.y }, { x: r.x + r.width, y: r.y }, { x: r.x + r.width, y: r.y + r.height }, { x: r.x, y: r.y + r.height }];
  let d = `M${pt(corners[0]!)}`;
  for (let i = 0; i < 4; i++) {
    const from = corners[i]!, to = corners[(i + 1) % 4]!;
    const length = Math.hypot(to.x - from.x, to.y - from.y);
    const n = Math.max(1, Math.round(length / Math.max(bump, 1)));
    const radius = length / n / 2;
    for (let k = 1; k <= n; k++) {
      const p = { x: from.x + ((to.x - from.x) * k) / n, y: from.y + ((to.y - from.y) * k) / n };
      // Clockwise corners with sweep 1: each arc bulges out of the rectangle.
      d += ` A${radius.toFixed(1)} ${radius.toFixed(1)} 0 0 1 ${pt(p)}`;
    }
  }
  return d;
}

/** Short ticks across both ends of a measured line, as drawings mark a dimension. */
export function dimension(a: SheetPoint, b: SheetPoint, tick = 7): string {
  const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
  const nx = (-(b.y - a.y) / len) * tick, ny = ((b.x - a.x) / len) * tick;
  const across = (p: SheetPoint) => `M${pt({ x: p.x - nx, y: p.y - ny })} L${pt({ x: p.x + nx, y: p.y + ny })}`;
  return `M${pt(a)} L${pt(b)} ${across(a)} ${across(b)}`;
}

/** Where a markup's label goes: the middle of a line, the centroid of a polygon's corners, else its first point. */
export function labelAt(kind: string, points: readonly SheetPoint[]): SheetPoint {
  if (points.length === 0) return { x: 0, y: 0 };
  if (kind === 'distance' && points.length >= 2) return { x: (points[0]!.x + points[1]!.x) / 2, y: (points[0]!.y + points[1]!.y) / 2 };
  if (kind === 'area') return { x: points.reduce((s, p) => s + p.x, 0) / points.length, y: points.reduce((s, p) => s + p.y, 0) / points.length };
  return points[0]!;
}
