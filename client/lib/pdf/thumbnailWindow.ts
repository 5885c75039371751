/**
 * Which thumbnails of a long page list exist: the list has one slot of fixed height per
 * page (its scroll height is known without drawing anything), and only the slots in view,
 * plus a margin either side, are built. Pure: tested by tables.
 */

export interface SlotRange {
  /** First and last page (1-based, inclusive) to build; last < first when there are none. */
  first: number;
  last: number;
}

/** The pages whose slot of `slot` px meets the view [scrollTop, scrollTop + height], `margin` slots more each side. */
export function slotsInView(pages: number, slot: number, scrollTop: number, height: number, margin: number): SlotRange {
  if (pages <= 0 || slot <= 0) return { first: 1, last: 0 };
  const top = Math.max(0, scrollTop), bottom = Math.max(top, scrollTop + Math.max(0, height));
  const first = Math.max(1, Math.floor(top / slot) + 1 - margin);
  const last = Math.min(pages, Math.max(Math.ceil(bottom / slot), Math.floor(top / slot) + 1) + margin);
  return first > pages ? { first: pages, last: pages } : { first, last };
}

/**
 * The scrollTop that brings page `n`'s slot into a view of `height` px with the least
 * movement (none when it is already wholly in view), as `scrollIntoView({block: 'nearest'})`.
 */
export function scrollToSlot(n: number, slot: number, scrollTop: number, height: number): number {
  const top = (n - 1) * slot, bottom = top + slot;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + height) return Math.max(0, bottom - height);
  return scrollTop;
}
