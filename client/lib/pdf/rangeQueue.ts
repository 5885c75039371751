/**
 * The order in which a file's missing blocks are fetched (pure; HttpRanges does the I/O).
 * A read is cut into pieces of a few blocks, and the pieces of the latest read go first:
 * pdf.js asks for the bytes of the page being shown last, so the presenter's current page
 * is not stuck behind the ranges of pages already turned past.
 */

/** Blocks `first`..`last` (inclusive) of the file, fetched by one request. */
export interface Span {
  first: number;
  last: number;
}

export interface QueuedPiece extends Span {
  /** The latest read that waits for it: higher goes first. */
  priority: number;
}

/** The blocks of `first`..`last` not `held`, in runs of at most `perPiece` blocks. */
export function piecesOf(first: number, last: number, held: (block: number) => boolean, perPiece: number): Span[] {
  const pieces: Span[] = [];
  let start: number | null = null;
  for (let b = first; b <= last + 1; b++) {
    const missing = b <= last && !held(b);
    if (missing && start === null) start = b;
    if (start !== null && (!missing || b - start + 1 > perPiece)) {
      pieces.push({ first: start, last: b - 1 });
      start = missing ? b : null;
    }
  }
  return pieces;
}

/** The index in `queue` of the piece to fetch next: the latest read's, the earliest in the file among them. */
export function nextPiece(queue: readonly QueuedPiece[]): number {
  let best = -1;
  queue.forEach((p, i) => {
    const b = queue[best];
    if (!b || p.priority > b.priority || (p.priority === b.priority && p.first < b.first)) best = i;
  });
  return best;
}
