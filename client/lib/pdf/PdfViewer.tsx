import type { PDFDocumentProxy, PDFPageProxy, RenderTask } from 'pdfjs-dist';
import { createEffect, createMemo, createSignal, For, on, onCleanup, onMount, Show } from 'solid-js';
import { t } from '../../i18n';
import {
  baseResolution,
  CSS_PX_PER_PT,
  detailRegion,
  normalisedToScroll,
  pageToSheet,
  sameRect,
  scaleFor,
  scrollToNormalised,
  sheetSize,
  sheetToPage,
  stepScale,
  ZOOM_STEPS,
  type Point,
  type Rect,
  type Rotation,
  type Size,
  type Zoom,
} from './geometry';
import { openPdf } from './loadPdf';
import './viewer.css';

/** What a viewer shows: the part a presenter broadcasts and a follower applies. */
export interface ViewState {
  url: string;
  page: number;
  zoom: Zoom;
  rotation: Rotation;
  /** The page point at the centre of the viewport, in fractions of the displayed page. */
  scroll: Point;
}

export interface PdfViewerProps {
  view: ViewState;
  onViewChange: (view: ViewState) => void;
  /** The presenter's pointer, in fractions of the unrotated page; null hides it. */
  pointer?: Point | null;
  /** Given, the viewer reports this user's pointer over the page (presenter mode). */
  onPointer?: (pointer: Point | null) => void;
  /** Called each time a page has been drawn sharp at the current view. */
  onRendered?: (page: number) => void;
  /** How to open the document; by default with range requests and streaming. */
  open?: (url: string) => Promise<PDFDocumentProxy>;
}

/** Largest canvas drawn for the whole page (device pixels); beyond it the detail canvas takes over. */
const MAX_BASE_PIXELS = 4096 * 4096;
/** Largest detail canvas (device pixels). */
const MAX_DETAIL_PIXELS = 4096 * 4096;
/** The detail region snaps to a grid of this many CSS pixels. */
const TILE = 512;
const THUMB_WIDTH = 112;

const defaultOpen = (url: string) => openPdf(url).promise;

/** Shows `canvas` (or nothing) in `holder`, releasing the replaced canvases' memory now rather than at GC. */
function swapCanvas(holder: HTMLElement, canvas?: HTMLCanvasElement) {
  for (const old of holder.querySelectorAll('canvas')) old.width = old.height = 0;
  if (canvas) holder.replaceChildren(canvas);
  else holder.replaceChildren();
}

/** "a / b" kept left-to-right inside Arabic text (an isolate), else bidi shows "b / a". */
const fraction = (a: number | string, b: number | string) => `\u2066${a} / ${b}\u2069`;

const isCancelled = (e: unknown) => (e as { name?: string } | null)?.name === 'RenderingCancelledException';

interface SearchMatch {
  page: number;
  /** The matching text run's box in PDF user space [x0, y0, x1, y1]. */
  box: number[];
}

/**
 * The dossier PDF viewer, a controlled component: the view (document, page, zoom,
 * rotation, scroll) comes in by props and every change the user makes goes out by
 * onViewChange, so a presenter's state can drive followers.
 *
 * Large plan pages: the page is drawn at the visible scale × devicePixelRatio into a
 * canvas capped at MAX_BASE_PIXELS; zoomed in beyond that, the whole page stays as a
 * coarser backdrop and the visible region (snapped to a tile grid) is drawn sharp on a
 * detail canvas. A new page, zoom or region cancels the render task still running, and a
 * finished render only replaces the shown canvas if it is still the latest.
 */
export function PdfViewer(props: PdfViewerProps) {
  const [doc, setDoc] = createSignal<PDFDocumentProxy | null>(null);
  const [failed, setFailed] = createSignal(false);
  const [page, setPage] = createSignal<PDFPageProxy | null>(null);
  const [viewport, setViewport] = createSignal<Size>({ width: 0, height: 0 });
  const [visible, setVisible] = createSignal<Rect>({ x: 0, y: 0, width: 0, height: 0 });
  const [dpr, setDpr] = createSignal(window.devicePixelRatio || 1);
  const [showThumbs, setShowThumbs] = createSignal(false);
  const [query, setQuery] = createSignal('');
  const [matches, setMatches] = createSignal<SearchMatch[] | null>(null);
  const [matchIndex, setMatchIndex] = createSignal(0);
  let scroller!: HTMLDivElement;
  let sheetEl!: HTMLDivElement;
  let baseHolder!: HTMLDivElement;
  let detailHolder!: HTMLDivElement;
  let rootEl!: HTMLDivElement;

  const change = (patch: Partial<ViewState>) => props.onViewChange({ ...props.view, ...patch });
  // One memo per field of the view: a new view object where only the scroll moved must not
  // reopen the document or redraw the page.
  const url = createMemo(() => props.view.url);
  const pageNumber = createMemo(() => props.view.page);
  const rotation = createMemo(() => props.view.rotation);
  const zoom = createMemo(() => props.view.zoom, undefined, { equals: (a, b) => JSON.stringify(a) === JSON.stringify(b) });
  const scrollNorm = createMemo(() => props.view.scroll, undefined, { equals: (a, b) => a.x === b.x && a.y === b.y });
  const pageCount = () => doc()?.numPages ?? 0;

  // The document: opened per URL, destroyed (worker side too) when the URL changes or the viewer goes.
  createEffect(
    on(
      url,
      (url) => {
        let current: PDFDocumentProxy | null = null;
        let stale = false;
        setDoc(null);
        setPage(null);
        setFailed(false);
        setMatches(null);
        (props.open ?? defaultOpen)(url).then(
          (d) => {
            if (stale) void d.destroy();
            else setDoc((current = d));
          },
          () => !stale && setFailed(true),
        );
        onCleanup(() => {
          stale = true;
          void current?.destroy();
        });
      },
    ),
  );

  // The page proxy of the requested page (clamped to the document).
  createEffect(() => {
    const d = doc();
    if (!d) return;
    const n = Math.min(Math.max(1, Math.round(pageNumber())), d.numPages);
    let stale = false;
    onCleanup(() => (stale = true));
    d.getPage(n).then((p) => !stale && setPage(p), () => !stale && setFailed(true));
  });

  /** The page's size in points as pdf.js shows it unrotated by the user (its own /Rotate applied). */
  const pageSize = createMemo<Size | null>(() => {
    const p = page();
    if (!p) return null;
    const v = p.getViewport({ scale: 1 });
    return { width: v.width, height: v.height };
  });
  const scale = createMemo(() => {
    const size = pageSize();
    return size ? scaleFor(zoom(), size, rotation(), viewport(), 12) : 1;
  });
  const sheet = createMemo<Size>(() => {
    const size = pageSize();
    return size ? sheetSize(size, rotation(), scale()) : { width: 0, height: 0 };
  });
  const pdfViewport = (p: PDFPageProxy, pixelsPerCss: number, offset: Point = { x: 0, y: 0 }) =>
    p.getViewport({
      scale: scale() * CSS_PX_PER_PT * pixelsPerCss,
      rotation: (p.rotate + rotation()) % 360,
      offsetX: -offset.x,
      offsetY: -offset.y,
    });

  /** Draws into a new canvas and hands it over only if this render is still wanted. */
  function renderInto(
    p: PDFPageProxy,
    pixelRatio: number,
    region: Rect,
    isCurrent: () => boolean,
    setTask: (task: RenderTask | null) => void,
  ): Promise<HTMLCanvasElement | null> {
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(region.width * pixelRatio));
    canvas.height = Math.max(1, Math.round(region.height * pixelRatio));
    const task = p.render({ canvas, viewport: pdfViewport(p, pixelRatio, { x: region.x * pixelRatio, y: region.y * pixelRatio }) });
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
    const p = page(), s = sheet(), res = base(), turned = rotation();
    if (!p || !res) return;
    baseTask?.cancel();
    const generation = ++baseGeneration;
    void renderInto(p, res.pixelRatio, { x: 0, y: 0, ...s }, () => generation === baseGeneration, (task) => (baseTask = task)).then(
      (canvas) => {
        if (!canvas) return;
        canvas.dataset.testid = 'pdf-canvas';
        canvas.dataset.page = String(p.pageNumber);
        swapCanvas(baseHolder, canvas);
        rootEl.dataset.renderedPage = String(p.pageNumber);
        rootEl.dataset.renderedScale = scale().toFixed(4);
        rootEl.dataset.renderedRotation = String(turned);
        if (!res.reduced) props.onRendered?.(p.pageNumber);
      },
    );
  });

  // The sharp detail canvas over the visible region, only when the base canvas had to be coarser.
  let detailTask: RenderTask | null = null;
  let detailGeneration = 0;
  let detailShown: { key: string; region: Rect } | null = null;
  createEffect(() => {
    const p = page(), res = base(), s = sheet(), v = visible();
    if (!p || !res) return;
    if (!res.reduced) {
      detailTask?.cancel();
      detailShown = null;
      swapCanvas(detailHolder);
      return;
    }
    const region = detailRegion(v, s, TILE);
    const key = `${p.pageNumber}:${scale()}:${rotation()}:${dpr()}`;
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
      props.onRendered?.(p.pageNumber);
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
  createEffect(() => {
    const s = sheet(), v = viewport(), norm = scrollNorm();
    if (!s.width) return;
    const target = normalisedToScroll(norm, v, s, origin(), maxScroll());
    if (Math.abs(scroller.scrollLeft - target.x) < 1 && Math.abs(scroller.scrollTop - target.y) < 1) return;
    scroller.scrollLeft = target.x;
    scroller.scrollTop = target.y;
    applied = { x: scroller.scrollLeft, y: scroller.scrollTop };
    updateVisible();
  });
  function updateVisible() {
    const o = origin();
    setVisible({ x: scroller.scrollLeft - o.x, y: scroller.scrollTop - o.y, width: scroller.clientWidth, height: scroller.clientHeight });
  }
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
      const cur = props.view.scroll;
      if (Math.abs(norm.x - cur.x) > 1e-3 || Math.abs(norm.y - cur.y) > 1e-3) change({ scroll: norm });
    });
  }

  onMount(() => {
    const measure = () => {
      setViewport({ width: scroller.clientWidth, height: scroller.clientHeight });
      setDpr(window.devicePixelRatio || 1);
      updateVisible();
    };
    const ro = new ResizeObserver(measure);
    ro.observe(scroller);
    measure();
    onCleanup(() => {
      ro.disconnect();
      cancelAnimationFrame(scrollFrame);
    });
  });

  // Pointer: out in fractions of the unrotated page, in at the same spot whatever the rotation.
  let pointerFrame = 0;
  function onPointerMove(e: PointerEvent) {
    if (!props.onPointer) return;
    const box = sheetEl.getBoundingClientRect();
    const onSheet = { x: (e.clientX - box.left) / box.width, y: (e.clientY - box.top) / box.height };
    cancelAnimationFrame(pointerFrame);
    pointerFrame = requestAnimationFrame(() => props.onPointer?.(sheetToPage(onSheet, props.view.rotation)));
  }
  const pointerAt = createMemo(() => (props.pointer ? pageToSheet(props.pointer, rotation()) : null));

  // Navigation and zoom.
  const goTo = (n: number) => {
    const target = Math.min(Math.max(1, Math.round(n)), pageCount() || 1);
    if (target !== props.view.page) change({ page: target, scroll: { x: 0.5, y: 0 } });
  };
  const zoomBy = (dir: 1 | -1) => change({ zoom: { mode: 'scale', scale: stepScale(scale(), dir) } });
  const zoomValue = () => (props.view.zoom.mode === 'scale' ? String(props.view.zoom.scale) : props.view.zoom.mode);
  const onZoomSelect = (value: string) =>
    change({ zoom: value === 'fit-width' || value === 'fit-page' ? { mode: value } : { mode: 'scale', scale: Number(value) } });
  const rotate = () => change({ rotation: (((props.view.rotation + 90) % 360) as Rotation) });

  // Text search: every page's text runs, in order; a match goes to its page, centred.
  let searchGeneration = 0;
  async function search(e: Event) {
    e.preventDefault();
    const d = doc(), q = query().trim().toLocaleLowerCase();
    const generation = ++searchGeneration;
    if (!d || !q) return setMatches(null);
    const found: SearchMatch[] = [];
    for (let n = 1; n <= d.numPages; n++) {
      const p = await d.getPage(n);
      const text = await p.getTextContent();
      if (generation !== searchGeneration) return;
      for (const item of text.items) {
        if (!('str' in item) || !item.str.toLocaleLowerCase().includes(q)) continue;
        const [, , , , x, y] = item.transform as number[];
        found.push({ page: n, box: [x!, y!, x! + item.width, y! + item.height] });
      }
    }
    setMatches(found);
    const next = found.findIndex((m) => m.page >= props.view.page);
    showMatch(next < 0 ? 0 : next);
  }
  function showMatch(i: number) {
    const all = matches();
    const m = all?.[i];
    if (!all || !m) return;
    setMatchIndex(i);
    void doc()
      ?.getPage(m.page)
      .then((p) => {
        const v = p.getViewport({ scale: 1, rotation: (p.rotate + props.view.rotation) % 360 });
        const [x0, y0, x1, y1] = v.convertToViewportRectangle(m.box) as number[];
        change({ page: m.page, scroll: { x: (x0! + x1!) / 2 / v.width, y: (y0! + y1!) / 2 / v.height } });
      });
  }
  const cycleMatch = (dir: 1 | -1) => {
    const n = matches()?.length ?? 0;
    if (n) showMatch((matchIndex() + dir + n) % n);
  };
  /** The highlighted match on the shown page, in CSS pixels of the sheet. */
  const highlight = createMemo(() => {
    const m = matches()?.[matchIndex()], p = page();
    if (!m || !p || m.page !== p.pageNumber) return null;
    const [x0, y0, x1, y1] = pdfViewport(p, 1).convertToViewportRectangle(m.box) as number[];
    return { x: Math.min(x0!, x1!), y: Math.min(y0!, y1!), width: Math.abs(x1! - x0!), height: Math.abs(y1! - y0!) };
  });

  return (
    <div class="pdf-viewer" ref={rootEl} data-testid="pdf-viewer">
      <div class="pdf-toolbar" role="toolbar">
        <button type="button" class="secondary" onClick={() => setShowThumbs((s) => !s)} aria-pressed={showThumbs()} data-testid="toggle-thumbnails" title={t('pdf.thumbnails')}>
          ▦<span class="visually-hidden">{t('pdf.thumbnails')}</span>
        </button>
        <button type="button" class="secondary" onClick={() => goTo(props.view.page - 1)} disabled={props.view.page <= 1} data-testid="page-previous" title={t('pdf.previous')}>
          <span class="pdf-arrow" aria-hidden="true">‹</span><span class="visually-hidden">{t('pdf.previous')}</span>
        </button>
        <label class="pdf-page">
          <span class="visually-hidden">{t('pdf.pageInput')}</span>
          <input
            type="number"
            min="1"
            max={pageCount() || 1}
            value={props.view.page}
            data-testid="page-input"
            onChange={(e) => goTo(Number(e.currentTarget.value))}
          />
        </label>
        <span data-testid="page-label" data-page={props.view.page} aria-live="polite">
          {t('pdf.page', { position: fraction(props.view.page, pageCount() || '…') })}
        </span>
        <button type="button" class="secondary" onClick={() => goTo(props.view.page + 1)} disabled={!!pageCount() && props.view.page >= pageCount()} data-testid="page-next" title={t('pdf.next')}>
          <span class="pdf-arrow" aria-hidden="true">›</span><span class="visually-hidden">{t('pdf.next')}</span>
        </button>
        <button type="button" class="secondary" onClick={() => zoomBy(-1)} data-testid="zoom-out" title={t('pdf.zoomOut')}>
          −<span class="visually-hidden">{t('pdf.zoomOut')}</span>
        </button>
        <label>
          <span class="visually-hidden">{t('pdf.zoom')}</span>
          <select value={zoomValue()} onChange={(e) => onZoomSelect(e.currentTarget.value)} data-testid="zoom-select">
            <option value="fit-width">{t('pdf.fitWidth')}</option>
            <option value="fit-page">{t('pdf.fitPage')}</option>
            <Show when={props.view.zoom.mode === 'scale' && !ZOOM_STEPS.includes(scale() as (typeof ZOOM_STEPS)[number])}>
              <option value={zoomValue()}>{Math.round(scale() * 100)} %</option>
            </Show>
            <For each={ZOOM_STEPS}>{(s) => <option value={String(s)}>{Math.round(s * 100)} %</option>}</For>
          </select>
        </label>
        <button type="button" class="secondary" onClick={() => zoomBy(1)} data-testid="zoom-in" title={t('pdf.zoomIn')}>
          +<span class="visually-hidden">{t('pdf.zoomIn')}</span>
        </button>
        <button type="button" class="secondary" onClick={rotate} data-testid="rotate" title={t('pdf.rotate')}>
          ⟳<span class="visually-hidden">{t('pdf.rotate')}</span>
        </button>
        <form class="pdf-search" role="search" onSubmit={search}>
          <input type="search" value={query()} onInput={(e) => setQuery(e.currentTarget.value)} placeholder={t('pdf.search')} aria-label={t('pdf.search')} data-testid="search-input" />
          <Show when={matches()}>
            {(all) => (
              <>
                <span data-testid="search-count" data-total={all().length}>
                  {all().length ? t('pdf.matches', { position: fraction(matchIndex() + 1, all().length) }) : t('pdf.noMatch')}
                </span>
                <button type="button" class="secondary" onClick={() => cycleMatch(-1)} disabled={!all().length} title={t('pdf.searchPrevious')}>
                  ↑<span class="visually-hidden">{t('pdf.searchPrevious')}</span>
                </button>
                <button type="button" class="secondary" onClick={() => cycleMatch(1)} disabled={!all().length} data-testid="search-next" title={t('pdf.searchNext')}>
                  ↓<span class="visually-hidden">{t('pdf.searchNext')}</span>
                </button>
              </>
            )}
          </Show>
        </form>
      </div>
      <div class="pdf-body">
        <Show when={showThumbs() && doc()}>{(d) => <Thumbnails doc={d()} current={props.view.page} onSelect={goTo} />}</Show>
        <div class="pdf-scroller" ref={scroller} onScroll={onScroll} dir="ltr" data-testid="pdf-scroller">
          <Show when={failed()}>
            <p class="error" role="alert">{t('pdf.failed')}</p>
          </Show>
          <Show when={!failed() && !page()}>
            <p class="pdf-status">{t('pdf.loading')}</p>
          </Show>
          <div class="pdf-stage">
            <div
              class="pdf-sheet"
              ref={sheetEl}
              style={{ width: `${sheet().width}px`, height: `${sheet().height}px`, display: page() ? 'block' : 'none' }}
              onPointerMove={onPointerMove}
              onPointerLeave={() => props.onPointer?.(null)}
            >
              <div class="pdf-layer" ref={baseHolder} />
              <div class="pdf-layer" ref={detailHolder} />
              <Show when={highlight()}>
                {(h) => <div class="pdf-highlight" data-testid="search-highlight" style={{ left: `${h().x}px`, top: `${h().y}px`, width: `${h().width}px`, height: `${h().height}px` }} />}
              </Show>
              <Show when={pointerAt()}>
                {(p) => <div class="pdf-pointer" data-testid="presenter-pointer" title={t('pdf.pointer')} style={{ left: `${p().x * 100}%`, top: `${p().y * 100}%` }} />}
              </Show>
            </div>
          </div>
        </div>
      </div>
    </div>
  );
}

/** The page list, each drawn small once it scrolls into view, one at a time. */
function Thumbnails(props: { doc: PDFDocumentProxy; current: number; onSelect: (page: number) => void }) {
  let list!: HTMLOListElement;
  const pages = () => Array.from({ length: props.doc.numPages }, (_, i) => i + 1);
  const queue: { page: number; holder: HTMLElement }[] = [];
  let busy: RenderTask | null = null;
  let closed = false;
  async function drain() {
    if (busy || closed) return;
    const next = queue.shift();
    if (!next) return;
    try {
      const p = await props.doc.getPage(next.page);
      const v0 = p.getViewport({ scale: 1 });
      const pixelRatio = window.devicePixelRatio || 1;
      const viewport = p.getViewport({ scale: (THUMB_WIDTH / v0.width) * pixelRatio });
      const canvas = document.createElement('canvas');
      canvas.width = Math.round(viewport.width);
      canvas.height = Math.round(viewport.height);
      busy = p.render({ canvas, viewport });
      await busy.promise;
      canvas.dataset.rendered = 'true';
      next.holder.replaceChildren(canvas);
    } catch (e) {
      if (!isCancelled(e)) console.error('thumbnail failed', e);
    } finally {
      busy = null;
      void drain();
    }
  }
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        observer.unobserve(entry.target);
        const el = entry.target as HTMLElement;
        queue.push({ page: Number(el.dataset.page), holder: el });
      }
      void drain();
    },
    { rootMargin: '200px' },
  );
  onMount(() => list.querySelectorAll<HTMLElement>('.pdf-thumb-canvas').forEach((el) => observer.observe(el)));
  onCleanup(() => {
    closed = true;
    observer.disconnect();
    busy?.cancel();
  });
  createEffect(() => list.querySelector(`[data-page="${props.current}"]`)?.scrollIntoView({ block: 'nearest' }));
  return (
    <ol class="pdf-thumbs" ref={list} data-testid="thumbnails">
      <For each={pages()}>
        {(n) => (
          <li>
            <button type="button" class="pdf-thumb" aria-current={n === props.current ? 'page' : undefined} onClick={() => props.onSelect(n)} data-testid={`thumbnail-${n}`}>
              <span class="pdf-thumb-canvas" data-page={n} style={{ 'min-height': `${THUMB_WIDTH * 0.7}px` }} />
              <span>{n}</span>
            </button>
          </li>
        )}
      </For>
    </ol>
  );
}
