import type { PDFDocumentProxy, RenderTask } from 'pdfjs-dist';
import { createEffect, createMemo, createSignal, For, on, onCleanup, onMount } from 'solid-js';
import { isCancelled } from './PdfPage';
import { scrollToSlot, slotsInView, type SlotRange } from './thumbnailWindow';

const THUMB_WIDTH = 112;
/**
 * One slot per page, of fixed height: the page's box (150 px in viewer.css, any page shape
 * fitted inside), its number and the paddings. The list's height is known up front.
 */
const SLOT = 196;
/** Slots built beyond the view on either side, so a scroll finds them drawn. */
const MARGIN = 8;
/** Drawn thumbnails kept for scrolling back (each a small canvas). */
const CACHE = 64;

/**
 * Draws thumbnails one at a time, the one nearest the middle of the view first; a slot that
 * leaves the view withdraws its request (and the drawing of its page is cancelled). Drawn
 * canvases are kept for the last CACHE pages.
 */
class ThumbnailPainter {
  readonly #wanted = new Map<number, HTMLElement>();
  readonly #drawn = new Map<number, HTMLCanvasElement>();
  #running: { page: number; task: RenderTask } | null = null;
  #closed = false;

  constructor(
    private readonly doc: PDFDocumentProxy,
    /** The page in the middle of the list's view. */
    private readonly middle: () => number,
    /** The page the viewer shows (its drawing data stays). */
    private readonly shown: () => number,
  ) {}

  /** Shows page `n` in `holder`, now if it was drawn before, else once drawn. */
  want(n: number, holder: HTMLElement): void {
    const drawn = this.#drawn.get(n);
    if (drawn) {
      holder.replaceChildren(drawn);
      return;
    }
    this.#wanted.set(n, holder);
    void this.#drain();
  }

  withdraw(n: number): void {
    this.#wanted.delete(n);
    if (this.#running?.page === n) this.#running.task.cancel();
  }

  close(): void {
    this.#closed = true;
    this.#running?.task.cancel();
    this.#wanted.clear();
    for (const c of this.#drawn.values()) c.width = c.height = 0;
    this.#drawn.clear();
  }

  async #drain(): Promise<void> {
    if (this.#running || this.#closed) return;
    const middle = this.middle();
    const next = [...this.#wanted.keys()].reduce<number | undefined>((best, n) => (best === undefined || Math.abs(n - middle) < Math.abs(best - middle) ? n : best), undefined);
    if (next === undefined) return;
    const holder = this.#wanted.get(next)!;
    this.#wanted.delete(next);
    try {
      const page = await this.doc.getPage(next);
      if (this.#closed) return;
      const v0 = page.getViewport({ scale: 1 });
      const viewport = page.getViewport({ scale: (THUMB_WIDTH / v0.width) * (window.devicePixelRatio || 1) });
      const canvas = document.createElement('canvas');
      canvas.width = Math.round(viewport.width);
      canvas.height = Math.round(viewport.height);
      const task = page.render({ canvas, viewport });
      this.#running = { page: next, task };
      await task.promise;
      canvas.dataset.rendered = 'true';
      this.#keep(next, canvas);
      if (holder.isConnected) holder.replaceChildren(canvas);
      // The page's drawing data is not needed any more (the main view keeps its own page).
      if (next !== this.shown()) page.cleanup();
    } catch (e) {
      if (!isCancelled(e)) console.error('thumbnail failed', e);
    } finally {
      this.#running = null;
      void this.#drain();
    }
  }

  #keep(n: number, canvas: HTMLCanvasElement): void {
    this.#drawn.set(n, canvas);
    if (this.#drawn.size <= CACHE) return;
    const [oldest, old] = this.#drawn.entries().next().value!;
    this.#drawn.delete(oldest);
    if (!old.isConnected) old.width = old.height = 0;
  }
}

/**
 * The page list beside the page: one slot per page, but only the slots in view (and a
 * margin) exist in the DOM, so a 4,000-page file builds a few dozen, and nothing is drawn
 * or fetched for pages nobody scrolls to.
 */
export function PdfThumbnails(props: { doc: PDFDocumentProxy; current: number; onSelect: (page: number) => void }) {
  let list!: HTMLDivElement;
  const [range, setRange] = createSignal<SlotRange>({ first: 1, last: 0 });
  const painter = new ThumbnailPainter(props.doc, () => Math.round((range().first + range().last) / 2), () => props.current);
  const pages = createMemo(() => {
    const { first, last } = range();
    return Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => first + i);
  });
  const measure = () => setRange(slotsInView(props.doc.numPages, SLOT, list.scrollTop, list.clientHeight, MARGIN));

  let frame = 0;
  const onScroll = () => {
    if (!frame) frame = requestAnimationFrame(() => ((frame = 0), measure()));
  };
  onMount(() => {
    const ro = new ResizeObserver(measure);
    ro.observe(list);
    measure();
    onCleanup(() => {
      ro.disconnect();
      cancelAnimationFrame(frame);
      painter.close();
    });
  });
  // The current page stays in view: at once when the list opens, then as pages turn.
  createEffect(
    on(
      () => props.current,
      (n) => {
        list.scrollTop = scrollToSlot(n, SLOT, list.scrollTop, list.clientHeight);
        measure();
      },
    ),
  );

  return (
    <div class="pdf-thumbs" ref={list} onScroll={onScroll} data-testid="thumbnails" data-first={range().first} data-last={range().last}>
      <ol style={{ 'block-size': `${props.doc.numPages * SLOT}px` }}>
        <For each={pages()}>
          {(n) => (
            <li style={{ 'inset-block-start': `${(n - 1) * SLOT}px`, 'block-size': `${SLOT}px` }}>
              <button type="button" class="pdf-thumb" aria-current={n === props.current ? 'page' : undefined} onClick={() => props.onSelect(n)} data-testid={`thumbnail-${n}`}>
                <span
                  class="pdf-thumb-canvas"
                  ref={(holder) => {
                    painter.want(n, holder);
                    onCleanup(() => painter.withdraw(n));
                  }}
                />
                <span>{n}</span>
              </button>
            </li>
          )}
        </For>
      </ol>
    </div>
  );
}
