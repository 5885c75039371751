import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { presenterUpdates, SCROLL_INTERVAL_MS, scrollOnly } from '../../client/meeting/presenterUpdates';
import type { PresentedView } from '../../protocol/presentation';

const base: PresentedView = { versionId: 4, page: 7, zoom: { mode: 'scale', scale: 2 }, rotation: 0, scroll: { x: 0.5, y: 0.2 } };
const at = (patch: Partial<PresentedView>): PresentedView => ({ ...base, ...patch });

describe('scrollOnly', () => {
  it.each<[string, PresentedView | null, PresentedView, boolean]>([
    ['nothing sent before', null, base, false],
    ['the same view', base, at({}), true],
    ['scrolled', base, at({ scroll: { x: 0.1, y: 0.9 } }), true],
    ['another page', base, at({ page: 8 }), false],
    ['another document', base, at({ versionId: 5 }), false],
    ['another zoom scale', base, at({ zoom: { mode: 'scale', scale: 3 } }), false],
    ['another zoom mode', base, at({ zoom: { mode: 'fit-width' } }), false],
    ['rotated', base, at({ rotation: 90 }), false],
  ])('%s → %s', (_what, previous, next, expected) => {
    expect(scrollOnly(previous, next)).toBe(expected);
  });
});

describe('presenterUpdates', () => {
  let sent: PresentedView[];
  let updates: ReturnType<typeof presenterUpdates>;
  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    updates = presenterUpdates((v) => sent.push(v));
  });
  afterEach(() => {
    updates.cancel();
    vi.useRealTimers();
  });
  const scroll = (y: number) => at({ scroll: { x: 0.5, y } });

  it('sends a page, zoom, rotation or document change at once, however soon after the last', () => {
    updates.push(base);
    updates.push(at({ page: 8 }));
    updates.push(at({ page: 8, rotation: 90 }));
    updates.push(at({ page: 8, rotation: 90, zoom: { mode: 'fit-page' } }));
    updates.push(at({ versionId: 9, page: 1 }));
    expect(sent.map((v) => [v.versionId, v.page, v.rotation, v.zoom.mode])).toEqual([
      [4, 7, 0, 'scale'], [4, 8, 0, 'scale'], [4, 8, 90, 'scale'], [4, 8, 90, 'fit-page'], [9, 1, 0, 'scale'],
    ]);
  });

  it('sends scrolling at most 10 times a second and always the last position', () => {
    updates.push(base);
    // 60 scroll events a second for one second.
    for (let i = 1; i <= 60; i++) {
      vi.advanceTimersByTime(1000 / 60);
      updates.push(scroll(i / 60));
    }
    vi.advanceTimersByTime(SCROLL_INTERVAL_MS);
    const scrolls = sent.slice(1);
    expect(scrolls.length).toBeLessThanOrEqual(11);
    expect(scrolls.length).toBeGreaterThanOrEqual(9);
    expect(sent.at(-1)!.scroll.y).toBe(1);
    // No more once the presenter stopped.
    const count = sent.length;
    vi.advanceTimersByTime(1000);
    expect(sent.length).toBe(count);
  });

  it('lets a page change overtake a pending scroll (the scroll is not sent after it)', () => {
    updates.push(base);
    updates.push(scroll(0.6));
    updates.push(at({ page: 9, scroll: { x: 0.5, y: 0 } }));
    vi.advanceTimersByTime(1000);
    expect(sent.map((v) => v.page)).toEqual([7, 9]);
  });
});
