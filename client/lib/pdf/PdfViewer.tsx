import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist';
import { createEffect, createMemo, createSignal, on, onCleanup, Show } from 'solid-js';
import { scaleFor, type Point, type Rotation, type Size, type Zoom } from './geometry';
import { openPdf } from './loadPdf';
import { PdfPage, pageSizeOf, type DrawnPage, type PdfPageProps } from './PdfPage';
import { PdfSearch } from './PdfSearch';
import { PdfThumbnails } from './PdfThumbnails';
import { PdfToolbar } from './PdfToolbar';
import type { SearchMatch } from './textSearch';
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
  /**
   * The document's page count as the server found it on upload: the toolbar's bounds while
   * the file still opens, so a presenter's "next" then is kept, not clamped to page 1.
   */
  pageCount?: number;
  /** How to open the document (by default with range requests); `signal` aborts when the viewer moves on. */
  open?: (url: string, signal: AbortSignal) => Promise<PDFDocumentProxy>;
  /** Drawn over the page in its own geometry (the meeting's markups). */
  overlay?: PdfPageProps['overlay'];
}

const defaultOpen = (url: string, signal: AbortSignal) => openPdf(url, { signal });
/** Pages whose drawing data stays after the viewer has moved on. */
const KEEP_PAGES = 4;

/**
 * The dossier PDF viewer, a controlled component: the view (document, page, zoom,
 * rotation, scroll) comes in by props and every change the user makes goes out by
 * onViewChange, so a presenter's state can drive followers. Made of a toolbar
 * (PdfToolbar, PdfSearch), the page list (PdfThumbnails) and the page (PdfPage). Nothing is
 * done per page up front: only the page shown is fetched and drawn, thumbnails exist for
 * the slots in view, search reads text page by page.
 */
export function PdfViewer(props: PdfViewerProps) {
  const [doc, setDoc] = createSignal<PDFDocumentProxy | null>(null);
  const [failed, setFailed] = createSignal(false);
  const [page, setPage] = createSignal<PDFPageProxy | null>(null);
  const [viewport, setViewport] = createSignal<Size>({ width: 0, height: 0 });
  const [showThumbs, setShowThumbs] = createSignal(false);
  const [match, setMatch] = createSignal<SearchMatch | null>(null);
  let rootEl!: HTMLDivElement;

  const change = (patch: Partial<ViewState>) => props.onViewChange({ ...props.view, ...patch });
  // One memo per field of the view: a new view object where only the scroll moved must not
  // reopen the document or redraw the page.
  const url = createMemo(() => props.view.url);
  const pageNumber = createMemo(() => props.view.page);
  const rotation = createMemo(() => props.view.rotation);
  const zoom = createMemo(() => props.view.zoom, undefined, { equals: (a, b) => JSON.stringify(a) === JSON.stringify(b) });
  const scrollNorm = createMemo(() => props.view.scroll, undefined, { equals: (a, b) => a.x === b.x && a.y === b.y });
  const pageCount = () => doc()?.numPages ?? props.pageCount ?? 0;

  // The document: opened per URL, destroyed (worker side too) when the URL changes or the
  // viewer goes; an opening still under way is aborted, so its ranges leave the line at once.
  createEffect(
    on(url, (url) => {
      let current: PDFDocumentProxy | null = null;
      let stale = false;
      const opening = new AbortController();
      // Nothing of this document is drawn yet: the last one's page number must not stand for it.
      for (const key of ['renderedPage', 'renderedScale', 'renderedRotation']) delete rootEl.dataset[key];
      setDoc(null);
      setPage(null);
      setFailed(false);
      (props.open ?? defaultOpen)(url, opening.signal).then(
        (d) => {
          if (stale) void d.destroy();
          else setDoc((current = d));
        },
        () => !stale && setFailed(true),
      );
      onCleanup(() => {
        stale = true;
        opening.abort();
        void current?.destroy();
      });
    }),
  );

  // The page proxy of the requested page (clamped to the document), fetched when asked for.
  createEffect(() => {
    const d = doc();
    if (!d) return;
    const n = Math.min(Math.max(1, Math.round(pageNumber())), d.numPages);
    let stale = false;
    onCleanup(() => (stale = true));
    d.getPage(n).then((p) => !stale && setPage(p), () => !stale && setFailed(true));
  });
  // Pages left behind give back their drawing data (a 4,000-page file is browsed, not held);
  // the last few stay ready, for a presenter going back and forth.
  const recent: PDFPageProxy[] = [];
  createEffect(
    on(page, (p) => {
      if (!p) return;
      if (recent.includes(p)) recent.splice(recent.indexOf(p), 1);
      recent.push(p);
      if (recent.length > KEEP_PAGES) recent.shift()!.cleanup();
    }),
  );
  createEffect(on(doc, () => void recent.splice(0)));

  const scale = createMemo(() => {
    const p = page();
    return p ? scaleFor(zoom(), pageSizeOf(p), rotation(), viewport(), 12) : 1;
  });

  function drawn(d: DrawnPage) {
    if (d.layer === 'base') {
      rootEl.dataset.renderedPage = String(d.page);
      rootEl.dataset.renderedScale = d.scale.toFixed(4);
      rootEl.dataset.renderedRotation = String(d.rotation);
    }
    if (d.sharp) props.onRendered?.(d.page);
  }

  const goTo = (n: number) => {
    if (n !== props.view.page) change({ page: n, scroll: { x: 0.5, y: 0 } });
  };
  const highlight = () => {
    const m = match();
    return m && m.page === page()?.pageNumber ? m.box : null;
  };

  return (
    <div class="pdf-viewer" ref={rootEl} data-testid="pdf-viewer">
      <PdfToolbar
        page={props.view.page}
        pageCount={pageCount()}
        zoom={props.view.zoom}
        scale={scale()}
        rotation={props.view.rotation}
        thumbnails={showThumbs()}
        onThumbnails={setShowThumbs}
        onPage={goTo}
        onZoom={(zoom) => change({ zoom })}
        onRotation={(rotation) => change({ rotation })}
      >
        <PdfSearch doc={doc()} page={props.view.page} rotation={props.view.rotation} onGoTo={(page, scroll) => change({ page, scroll })} onHighlight={setMatch} />
      </PdfToolbar>
      <div class="pdf-body">
        <Show when={showThumbs() && doc()}>{(d) => <PdfThumbnails doc={d()} current={props.view.page} onSelect={goTo} />}</Show>
        <PdfPage
          page={page()}
          scale={scale()}
          rotation={rotation()}
          scroll={scrollNorm()}
          onScroll={(scroll) => change({ scroll })}
          onViewport={setViewport}
          pointer={props.pointer}
          onPointer={props.onPointer}
          highlight={highlight()}
          onDrawn={drawn}
          failed={failed()}
          overlay={props.overlay}
        />
      </div>
    </div>
  );
}
