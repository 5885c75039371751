import { pdfToSheet, type PageBox, type Rotation } from '../../protocol/markupGeometry';
import type { CitedMarkup } from '../../protocol/citations';
import type { MarkupColor } from '../../protocol/markups';

/**
 * The SVG of cited markups over a rendered page: each drawn from its page coordinates
 * (PDF user space) onto the image's pixels, with its number in a badge, as the viewer
 * shows it. Pure: the page's box, rotation and pixels per point come from the renderer.
 */

/** Shades of the named colours, dark enough on a white plan. */
export const MARKUP_SHADES: Readonly<Record<MarkupColor, string>> = {
  red: '#d0021b', blue: '#1456d8', green: '#198038', orange: '#e06c00', purple: '#7b2cbf',
};

export interface SheetFrame {
  box: PageBox;
  rotation: Rotation;
  pxPerPt: number;
  width: number;
  height: number;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const f = (n: number) => n.toFixed(1);

/** A scalloped outline along the rectangle's edges (a revision cloud). */
function cloudPath(x0: number, y0: number, x1: number, y1: number, r: number): string {
  const [l, t, rr, b] = [Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1), Math.max(y0, y1)];
  const corners: [number, number][] = [[l, t], [rr, t], [rr, b], [l, b], [l, t]];
  let d = `M${f(l)},${f(t)}`;
  for (let i = 0; i < 4; i++) {
    const [ax, ay] = corners[i]!, [bx, by] = corners[i + 1]!;
    const n = Math.max(1, Math.round(Math.hypot(bx - ax, by - ay) / (2 * r)));
    for (let k = 1; k <= n; k++) d += ` A${f(r)},${f(r)} 0 0 1 ${f(ax + ((bx - ax) * k) / n)},${f(ay + ((by - ay) * k) / n)}`;
  }
  return d;
}

function shape(m: CitedMarkup, frame: SheetFrame, stroke: number): string {
  const pts = m.points.map((p) => pdfToSheet(p, frame.box, frame.rotation, frame.pxPerPt));
  const c = MARKUP_SHADES[m.color];
  const line = `fill="none" stroke="${c}" stroke-width="${f(stroke)}" stroke-linecap="round" stroke-linejoin="round"`;
  const list = pts.map((p) => `${f(p.x)},${f(p.y)}`).join(' ');
  switch (m.kind) {
    case 'pen':
      return `<polyline points="${list}" ${line}/>`;
    case 'area':
      return `<polygon points="${list}" ${line} fill-opacity="0.15" style="fill:${c}"/>`;
    case 'rectangle': {
      const [a, b] = [pts[0]!, pts[1]!];
      return `<rect x="${f(Math.min(a.x, b.x))}" y="${f(Math.min(a.y, b.y))}" width="${f(Math.abs(b.x - a.x))}" height="${f(Math.abs(b.y - a.y))}" ${line}/>`;
    }
    case 'cloud':
      return `<path d="${cloudPath(pts[0]!.x, pts[0]!.y, pts[1]!.x, pts[1]!.y, Math.max(4, stroke * 4))}" ${line}/>`;
    case 'arrow':
    case 'distance': {
      const [a, b] = [pts[0]!, pts[1]!];
      const angle = Math.atan2(b.y - a.y, b.x - a.x), head = stroke * 5;
      const wing = (s: number) => `${f(b.x - head * Math.cos(angle + s))},${f(b.y - head * Math.sin(angle + s))}`;
      const tip = m.kind === 'arrow' ? `<polyline points="${wing(0.5)} ${f(b.x)},${f(b.y)} ${wing(-0.5)}" ${line}/>` : '';
      return `<line x1="${f(a.x)}" y1="${f(a.y)}" x2="${f(b.x)}" y2="${f(b.y)}" ${line}/>${tip}`;
    }
    case 'text':
      return `<text x="${f(pts[0]!.x)}" y="${f(pts[0]!.y)}" font-family="DejaVu Sans, sans-serif" font-size="${f(stroke * 6)}" fill="${c}">${esc(m.text ?? '')}</text>`;
  }
}

/** The badge with the markup's number, beside its first point. */
function badge(m: CitedMarkup, frame: SheetFrame, stroke: number): string {
  const p = pdfToSheet(m.points[0]!, frame.box, frame.rotation, frame.pxPerPt);
  const r = stroke * 4;
  const x = Math.min(Math.max(p.x - r, r), frame.width - r), y = Math.min(Math.max(p.y - r, r), frame.height - r);
  return `<circle cx="${f(x)}" cy="${f(y)}" r="${f(r)}" fill="${MARKUP_SHADES[m.color]}"/>`
    + `<text x="${f(x)}" y="${f(y + r * 0.4)}" text-anchor="middle" font-family="DejaVu Sans, sans-serif" font-weight="bold" font-size="${f(r * 1.1)}" fill="#fff">${m.number}</text>`;
}

/** The overlay for an image of `frame.width` × `frame.height` pixels. */
export function markupOverlay(markups: readonly CitedMarkup[], frame: SheetFrame): string {
  // Strokes as thick on a small image as on a large one, relative to its size.
  const stroke = Math.max(2, Math.round(Math.max(frame.width, frame.height) / 400));
  const body = markups.map((m) => shape(m, frame, stroke) + badge(m, frame, stroke)).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${frame.width}" height="${frame.height}">${body}</svg>`;
}
