import { createEffect, createRoot, on } from 'solid-js';
import { createStore, produce, reconcile } from 'solid-js/store';
import type { Markup, MarkupsSnapshot, PageScale, StrokeEvent } from '../../../protocol/markups';
import type { MeetingConnection } from '../MeetingConnection';

/** A stroke someone is drawing, as streamed: a pen's points accumulate, other shapes show their latest points. */
export type LiveStroke = StrokeEvent;

export interface MarkupStore extends MarkupsSnapshot {
  /** Others' strokes in progress by `${userId}:${stroke}`. */
  strokes: Record<string, LiveStroke>;
}

export interface Markups {
  state: MarkupStore;
  /** One's own markup or scale as acknowledged (the others get it as an event). */
  keep(markup: Markup): void;
  keepScale(scale: PageScale): void;
}

const stores = new WeakMap<MeetingConnection, Markups>();
/** A pen stroke shown live stops growing here (the kept markup replaces it). */
const LIVE_POINTS_MAX = 2000;

const sameScale = (a: PageScale, b: PageScale) => a.documentSha256 === b.documentSha256 && a.page === b.page;

/** Puts `m` in the list by id (an echo of one's own markup, or an undo, replaces it). */
export function upsertMarkup(list: Markup[], m: Markup): void {
  const at = list.findIndex((x) => x.id === m.id);
  if (at >= 0) list[at] = m;
  else list.push(m);
  list.sort((a, b) => a.number - b.number);
}

/**
 * The open item's markups, page scales and drawing rights as the server states them: one
 * store per connection, reset by each join snapshot and each `markups` event (a new item or
 * version), then kept by events. Strokes of others in progress are shown until their
 * markup arrives.
 */
export function markupsOf(connection: MeetingConnection): Markups {
  const existing = stores.get(connection);
  if (existing) return existing;
  const store = createRoot(() => {
    const [state, set] = createStore<MarkupStore>({ agendaItemId: null, markups: [], scales: [], drawers: [], strokes: {} });
    const reset = (s: MarkupsSnapshot) => set(reconcile({ ...s, strokes: {} }));
    createEffect(on(() => connection.state.features, (f) => f.markups && reset(f.markups)));
    const socket = connection.socket;
    socket.on('markups', reset);
    socket.on('markupStroke', (p) => {
      const key = `${p.userId}:${p.stroke}`;
      set('strokes', produce((strokes) => {
        const live = strokes[key];
        if (live && p.kind === 'pen' && live.points.length < LIVE_POINTS_MAX) live.points.push(...p.points);
        else strokes[key] = p;
      }));
    });
    socket.on('markupCreated', ({ markup, stroke }) => {
      if (markup.agendaItemId !== state.agendaItemId) return;
      set(produce((s) => {
        upsertMarkup(s.markups, markup);
        if (stroke) delete s.strokes[`${markup.authorId}:${stroke}`];
      }));
    });
    const keep = (markup: Markup) => set('markups', produce((list) => upsertMarkup(list, markup)));
    const keepScale = (scale: PageScale) => set('scales', produce((list) => {
      const at = list.findIndex((s) => sameScale(s, scale));
      // A calibration wins over the file's own scale.
      if (at < 0) list.push(scale);
      else if (scale.source === 'calibration' || list[at]!.source === 'pdf') list[at] = scale;
    }));
    socket.on('markupDeleted', keep);
    socket.on('pageScale', keepScale);
    socket.on('drawers', ({ userIds }) => set('drawers', userIds));
    return { state, keep, keepScale };
  });
  stores.set(connection, store);
  return store;
}

