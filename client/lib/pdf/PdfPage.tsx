import type { PDFPageProxy, RenderTask } from 'pdfjs-dist';
import { createEffect, createMemo, createSignal, onCleanup, onMount, Show, type JSX } from 'solid-js';
import type { PageBox } from '../../../protocol/markupGeometry';
import { t } from '../../i18n';
import {
  baseResolution,
  CSS_PX_PER_PT,
  detailRegion,
  normalisedToScroll,
  pageToSheet,
  sameRect,
  scrollToNormalised,
  sheetSize,
  sheetToPage,
  type Point,
  type Rect,
  type Rotation,
  type Size,
} from './geometry';

/** Largest canvas drawn for the whole page (device pixels); beyond it the detail canvas takes over. */
const MAX_BASE_PIXELS = 4096 * 4096;
/** Largest detail canvas (device pixels). */
const MAX_DETAIL_PIXELS = 4096 * 4096;
/** The detail region snaps to a grid of this many CSS pixels. */
const TILE = 512;

export const isCancelled = (e: unknown) => (e as { name?: string } | null)?.name === 'RenderingCancelledException';

/** The page's size in points as pdf.js shows it unrotated by the user (its own /Rotate applied). */
export function pageSizeOf(p: PDFPageProxy): Size {
  const v = p.getViewport({ scale: 1 });
  return { width: v.width, height: v.height };
}

/** pdf.js's viewport for the page at `scale` (1 = 100 %) turned by the user's `rotation`, in `pixelsPerCss` device pixels, from `offset`. */
function pageViewport(p: PDFPageProxy, scale: number, rotation: Rotation, pixelsPerCss = 1, offset: Point = { x: 0, y: 0 }) {
  return p.getViewport({ scale: scale * CSS_PX_PER_PT * pixelsPerCss, rotation: (p.rotate + rotation) % 360, offsetX: -offset.x, offsetY: -offset.y });
}

/** Shows `canvas` (or nothing) in `holder`, releasing the replaced canvases' memory now rather than at GC. */
function swapCanvas(holder: HTMLElement, canvas?: HTMLCanvasElement) {
  for (const old of holder.querySelectorAll('canvas')) old.width = old.height = 0;
  if (canvas) holder.replaceChildren(canvas);
  else holder.replaceChildren();
}

export interface DrawnPage {
  page: number;
  scale: number;
  rotation: Rotation;
  /** The whole page, or the sharp region over it of a page zoomed far in. */
  layer: 'base' | 'detail';
  /** Drawn at full sharpness (a base canvas can be the coarser backdrop of the detail). */
  sharp: boolean;
}

/** How the shown page maps to the sheet, for what is drawn over it in page coordinates (markups). */
export interface SheetGeometry {
  pageNumber: number;
  /** The page's visible box in PDF user space (pdf.js's `view`). */
  box: PageBox;
  /** The page's own /Rotate and the viewer's rotation together. */
  rotation: Rotation;
  /** CSS pixels per PDF point. */
  pxPerPt: number;
  width: number;
  height: number;
}

export interface PdfPageProps {
  page: PDFPageProxy | null;
  scale: number;
  rotation: Rotation;
  /** The page point at the centre of the viewport, in fractions of the displayed page. */
  scroll: Point;
  onScroll: (scroll: Point) => void;
  /** The scrolled area's size in CSS pixels, as it changes. */
  onViewport: (size: Size) => void;
  /** The presenter's pointer, in fractions of the unrotated page; null hides it. */
  pointer?: Point | null;
  onPointer?: (pointer: Point | null) => void;
  /** A box on the page in PDF user space [x0, y0, x1, y1] to highlight (a search match). */
  highlight: number[] | null;
  /** Each time a canvas of the page is in place. */
  onDrawn: (drawn: DrawnPage) => void;
  failed: boolean;
  /** Drawn over the page, in the sheet's CSS pixels. */
  overlay?: (geometry: SheetGeometry) => JSX.Element;
}

/**
 * One page, drawn. Large plan pages: the page is drawn at the visible scale ×
 * devicePixelRatio into a canvas capped at MAX_BASE_PIXELS; zoomed in beyond that, the whole
 * page stays as a coarser backdrop and the visible region (snapped to a tile grid) is drawn
 * sharp on a detail canvas. A new page, zoom or region cancels the render task still
 * running, and a finished render only replaces the shown canvas if it is still the latest.
 * Scroll comes in and goes out normalised to the page.
 */
export function PdfPage(props: PdfPageProps) {
  let scroller!: HTMLDivElement;
  let sheetEl!: HTMLDivElement;
  let baseHolder!: HTMLDivElement;
  let detailHolder!: HTMLDivElement;
  const [viewport, setViewport] = createSignal<Size>({ width: 0, height: 0 });
  const [visible, setVisible] = createSignal<Rect>({ x: 0, y: 0, width: 0, height: 0 });
  const [dpr, setDpr] = createSignal(window.devicePixelRatio || 1);

  const sheet = createMemo<Size>(() => (props.page ? sheetSize(pageSizeOf(props.page), props.rotation, props.scale) : { width: 0, height: 0 }));

  /** Draws into a new canvas and hands it over only if this render is still wanted. */
  function renderInto(p: PDFPageProxy, pixelRatio: number, region: Rect, isCurrent: () => boolean, setTask: (task: RenderTask) => void): Promise<HTMLCanvasElement | null> {
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(region.width * pixelRatio));
    canvas.height = Math.max(1, Math.round(region.height * pixelRatio));
    const task = p.render({ canvas, viewport: pageViewport(p, props.scale, props.rotation, pixelRatio, { x: region.x * pixelRatio, y: region.y * pixelRatio }) });
    setTask(task);
    return task.promise.then(
      () => (isCurrent() ? canvas : null),
      (e) => {
        if (!isCancelled(e)) console.error('pdf render failed', e);
        return null;
      },
    );
  }

  // The whole-page canvas.
  let baseTask: RenderTask | null = null;
  let baseGeneration = 0;
  const base = createMemo(() => {
    const s = sheet();
    return s.width ? baseResolution(s, dpr(), MAX_BASE_PIXELS) : null;
  });
  createEffect(() => {
    const p = props.page, s = sheet(), res = base(), scale = props.scale, rotation = props.rotation;
    // No page (another document opening): a render of the last one must not land over it.
    baseTask?.cancel();
    if (!p || !res) return void ++baseGeneration;
    const generation = ++baseGeneration;
    void renderInto(p, res.pixelRatio, { x: 0, y: 0, ...s }, () => generation === baseGeneration, (task) => (baseTask = task)).then((canvas) => {
      if (!canvas) return;
      canvas.dataset.testid = 'pdf-canvas';
      canvas.dataset.page = String(p.pageNumber);
      swapCanvas(baseHolder, canvas);
      props.onDrawn({ page: p.pageNumber, scale, rotation, layer: 'base', sharp: !res.reduced });
    });
  });

  // The sharp detail canvas over the visible region, only when the base canvas had to be coarser.
  let detailTask: RenderTask | null = null;
  let detailGeneration = 0;
  let detailShown: { key: string; region: Rect } | null = null;
  createEffect(() => {
    const p = props.page, res = base(), s = sheet(), v = visible(), scale = props.scale, rotation = props.rotation;
    if (!p || !res) {
      detailTask?.cancel();
      return void ++detailGeneration;
    }
    if (!res.reduced) {
      detailTask?.cancel();
      detailShown = null;
      swapCanvas(detailHolder);
      return;
    }
    const region = detailRegion(v, s, TILE);
    const key = `${p.pageNumber}:${scale}:${rotation}:${dpr()}`;
    if (!region || (detailShown?.key === key && sameRect(detailShown.region, region))) return;
    detailTask?.cancel();
    const generation = ++detailGeneration;
    const ratio = Math.min(dpr(), Math.sqrt(MAX_DETAIL_PIXELS / (region.width * region.height)));
    if (detailShown?.key !== key) swapCanvas(detailHolder);
    void renderInto(p, ratio, region, () => generation === detailGeneration, (task) => (detailTask = task)).then((canvas) => {
      if (!canvas) return;
      Object.assign(canvas.style, { left: `${region.x}px`, top: `${region.y}px`, width: `${region.width}px`, height: `${region.height}px` });
      canvas.dataset.testid = 'pdf-detail-canvas';
      swapCanvas(detailHolder, canvas);
      detailShown = { key, region };
      props.onDrawn({ page: p.pageNumber, scale, rotation, layer: 'detail', sharp: true });
    });
  });
  onCleanup(() => {
    baseTask?.cancel();
    detailTask?.cancel();
  });

  // Scroll: applied from props; user scrolls go out normalised. A scroll event at the
  // position we set ourselves is ours, not the user's, and is not echoed back.
  let applied: Point = { x: -1, y: -1 };
  const origin = (): Point => ({ x: sheetEl.offsetLeft, y: sheetEl.offsetTop });
  const maxScroll = (): Point => ({ x: scroller.scrollWidth - scroller.clientWidth, y: scroller.scrollHeight - scroller.clientHeight });
  function updateVisible() {
    const o = origin();
    setVisible({ x: scroller.scrollLeft - o.x, y: scroller.scrollTop - o.y, width: scroller.clientWidth, height: scroller.clientHeight });
  }
  createEffect(() => {
    const s = sheet(), v = viewport(), norm = props.scroll;
    if (!s.width) return;
    const target = normalisedToScroll(norm, v, s, origin(), maxScroll());
    if (Math.abs(scroller.scrollLeft - target.x) < 1 && Math.abs(scroller.scrollTop - target.y) < 1) return;
    scroller.scrollLeft = target.x;
    scroller.scrollTop = target.y;
    applied = { x: scroller.scrollLeft, y: scroller.scrollTop };
    updateVisible();
  });
  let scrollFrame = 0;
  function onScroll() {
    if (scrollFrame) return;
    scrollFrame = requestAnimationFrame(() => {
      scrollFrame = 0;
      updateVisible();
      const pos = { x: scroller.scrollLeft, y: scroller.scrollTop };
      if (Math.abs(pos.x - applied.x) < 1 && Math.abs(pos.y - applied.y) < 1) return;
      applied = pos;
      // No page drawn (a document or page still loading): the browser clamped the scroll, nobody scrolled.
      if (!sheet().width) return;
      const norm = scrollToNormalised(pos, viewport(), sheet(), origin());
      const cur = props.scroll;
      if (Math.abs(norm.x - cur.x) > 1e-3 || Math.abs(norm.y - cur.y) > 1e-3) props.onScroll(norm);
    });
  }

  onMount(() => {
    const measure = () => {
      const size = { width: scroller.clientWidth, height: scroller.clientHeight };
      setViewport(size);
      setDpr(window.devicePixelRatio || 1);
      props.onViewport(size);
      updateVisible();
    };
    const ro = new ResizeObserver(measure);
    ro.observe(scroller);
    measure();
    onCleanup(() => {
      ro.disconnect();
      cancelAnimationFrame(scrollFrame);
      cancelAnimationFrame(pointerFrame);
    });
  });

  // Pointer: out in fractions of the unrotated page, in at the same spot whatever the rotation.
  let pointerFrame = 0;
  function onPointerMove(e: PointerEvent) {
    if (!props.onPointer) return;
    const box = sheetEl.getBoundingClientRect();
    const onSheet = { x: (e.clientX - box.left) / box.width, y: (e.clientY - box.top) / box.height };
    cancelAnimationFrame(pointerFrame);
    pointerFrame = requestAnimationFrame(() => props.onPointer?.(sheetToPage(onSheet, props.rotation)));
  }
  const pointerAt = createMemo(() => (props.pointer ? pageToSheet(props.pointer, props.rotation) : null));

  const geometry = createMemo<SheetGeometry | null>(() => {
    const p = props.page, s = sheet();
    if (!p || !s.width) return null;
    const [x0, y0, x1, y1] = p.view as [number, number, number, number];
    return {
      pageNumber: p.pageNumber, box: { x0, y0, x1, y1 }, rotation: ((p.rotate + props.rotation) % 360) as Rotation,
      pxPerPt: props.scale * CSS_PX_PER_PT, width: s.width, height: s.height,
    };
  });

  /** The highlighted box in CSS pixels of the sheet. */
  const highlight = createMemo(() => {
    const box = props.highlight, p = props.page;
    if (!box || !p) return null;
    const [x0, y0, x1, y1] = pageViewport(p, props.scale, props.rotation).convertToViewportRectangle(box) as number[];
    return { x: Math.min(x0!, x1!), y: Math.min(y0!, y1!), width: Math.abs(x1! - x0!), height: Math.abs(y1! - y0!) };
  });

  return (
    // Focusable, so a keyboard scrolls a zoomed page as a mouse does (arrow keys, Page Up/Down).
    <div class="pdf-scroller" ref={scroller} onScroll={onScroll} dir="ltr" data-testid="pdf-scroller" tabIndex={0} role="region"
      aria-label={t('pdf.page', { position: String(props.page?.pageNumber ?? '') })}>
      <Show when={props.failed}>
        <p class="error" role="alert">{t('pdf.failed')}</p>
      </Show>
      <Show when={!props.failed && !props.page}>
        <p class="pdf-status">{t('pdf.loading')}</p>
      </Show>
      <div class="pdf-stage">
        <div
          class="pdf-sheet"
          ref={sheetEl}
          style={{ width: `${sheet().width}px`, height: `${sheet().height}px`, display: props.page ? 'block' : 'none' }}
          onPointerMove={onPointerMove}
          onPointerLeave={() => props.onPointer?.(null)}
        >
          <div class="pdf-layer" ref={baseHolder} />
          <div class="pdf-layer" ref={detailHolder} />
          <Show when={highlight()}>
            {(h) => <div class="pdf-highlight" data-testid="search-highlight" style={{ left: `${h().x}px`, top: `${h().y}px`, width: `${h().width}px`, height: `${h().height}px` }} />}
          </Show>
          <Show when={props.overlay && geometry()}>{(g) => props.overlay!(g())}</Show>
          <Show when={pointerAt()}>
            {(p) => <div class="pdf-pointer" data-testid="presenter-pointer" title={t('pdf.pointer')} style={{ left: `${p().x * 100}%`, top: `${p().y * 100}%` }} />}
          </Show>
        </div>
      </div>
    </div>
  );
}
