import type { PresentedView } from '../../protocol/presentation';

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
