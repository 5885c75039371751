import { createSignal } from 'solid-js';

/** How the videos are laid out: equal tiles, or one large tile (the speaker, or a pinned one) above a strip. */
export type VideoView = 'grid' | 'speaker';

export interface StageInput {
  /** The tile a member pinned, if any. */
  pinned: number | null;
  /** The last person other than oneself who spoke. */
  lastSpeaker: number | null;
  selfId: number | null;
  /** Everyone with a tile, oneself included, in tile order. */
  present: readonly number[];
}

/**
 * Whose tile is large in speaker view: the pinned one while its owner is there, else the
 * last other person who spoke, else the first other person, else oneself (alone in the
 * room). Oneself is never made large by speaking: nobody needs to watch themselves talk.
 */
export function stageTile({ pinned, lastSpeaker, selfId, present }: StageInput): number | null {
  if (pinned !== null && present.includes(pinned)) return pinned;
  if (lastSpeaker !== null && lastSpeaker !== selfId && present.includes(lastSpeaker)) return lastSpeaker;
  return present.find((id) => id !== selfId) ?? (selfId !== null && present.includes(selfId) ? selfId : null);
}

/**
 * How many columns make `count` 16:9 tiles largest in a `width` × `height` box, `gap`
 * pixels apart: wider tiles until their rows no longer fit the height (then the most that
 * fit, the box scrolling). At least one column, at most `count`.
 */
export function gridColumns(count: number, width: number, height: number, gap = 8, aspect = 16 / 9): number {
  if (count <= 1 || width <= 0) return 1;
  let best = 1;
  let bestWidth = 0;
  for (let columns = 1; columns <= count; columns++) {
    const rows = Math.ceil(count / columns);
    const byWidth = (width - gap * (columns - 1)) / columns;
    const byHeight = height > 0 ? ((height - gap * (rows - 1)) / rows) * aspect : byWidth;
    const tile = Math.min(byWidth, byHeight);
    if (tile > bestWidth + 0.5) {
      best = columns;
      bestWidth = tile;
    }
  }
  return best;
}

/** What a member chose for their room's layout (local to the page: nobody else's screen changes). */
export function createRoomLayout() {
  const [view, setView] = createSignal<VideoView>('grid');
  const [pinned, setPinned] = createSignal<number | null>(null);
  const [documentFull, setDocumentFull] = createSignal(false);
  return {
    view,
    setView,
    pinned,
    documentFull,
    setDocumentFull,
    /** Pins a tile (the speaker view shows it large), or unpins the pinned one. */
    togglePin(userId: number) {
      if (pinned() === userId) return setPinned(null);
      setPinned(userId);
      setView('speaker');
    },
  };
}

export type RoomLayout = ReturnType<typeof createRoomLayout>;
