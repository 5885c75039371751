import type { PresentedView } from '../../protocol/presentation';
import type { ViewState } from '../lib/pdf/PdfViewer';

/** A scroll counts as the person's own within this long after they touched the viewer (not a layout change). */
const INTENT_MS = 2000;

/** Scroll-only updates of the presenter go out at most this often (10 per second). */
export const SCROLL_INTERVAL_MS = 100;

/** `next` differs from `previous` only by where it is scrolled (same document, page, zoom, rotation). */
export function scrollOnly(previous: PresentedView | null, next: PresentedView): boolean {
  return (
    !!previous &&
    previous.versionId === next.versionId &&
    previous.page === next.page &&
    previous.rotation === next.rotation &&
    JSON.stringify(previous.zoom) === JSON.stringify(next.zoom)
  );
}

/**
 * The presenter's outgoing views: a new document, page, zoom or rotation goes at once;
 * scrolling at most every `interval` ms, and the last position is always sent (trailing),
 * so followers end where the presenter stopped.
 */
export function presenterUpdates(send: (view: PresentedView) => void, interval = SCROLL_INTERVAL_MS) {
  let last: PresentedView | null = null;
  let lastAt = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = (view: PresentedView) => {
    last = view;
    lastAt = performance.now();
    send(view);
  };
  return {
    push(view: PresentedView): void {
      clearTimeout(timer);
      const wait = interval - (performance.now() - lastAt);
      if (!scrollOnly(last, view) || wait <= 0) flush(view);
      else timer = setTimeout(() => flush(view), wait);
    },
    cancel(): void {
      clearTimeout(timer);
    },
  };
}

/**
 * What the person did in a viewer of a presented document, told from what the layout did:
 * `touched` is called on their pointer, wheel, keys and input over the viewer; `viewOf` is
 * the viewer's change applied to the view `current` shows, or null when it is only a scroll
 * the layout caused (a page loading), not within INTENT_MS of their touching the viewer.
 */
export function viewerIntent() {
  let touchedAt = -Infinity;
  return {
    touched: () => void (touchedAt = performance.now()),
    viewOf(current: PresentedView | null, next: ViewState): PresentedView | null {
      if (!current) return null;
      const view: PresentedView = { versionId: current.versionId, page: next.page, zoom: next.zoom, rotation: next.rotation, scroll: next.scroll };
      return scrollOnly(current, view) && performance.now() - touchedAt > INTENT_MS ? null : view;
    },
  };
}
