import { createEffect, createRoot, on } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import type { AgendaItemInfo, PresentationState } from '../../protocol/presentation';
import type { MeetingConnection } from './MeetingConnection';

export interface PresentationStore extends PresentationState {
  agenda: AgendaItemInfo[];
  /** The presenter's pointer over the page, null when away. */
  pointer: { x: number; y: number } | null;
}

const stores = new WeakMap<MeetingConnection, PresentationStore>();

/**
 * The session's presentation as the server states it (agenda, current item, presenter,
 * presenter's view, pointer): one store per connection, shared by the panes that need it
 * (the document viewer, the vote). Reset from each join snapshot, then kept by events.
 */
export function presentationOf(connection: MeetingConnection): PresentationStore {
  const existing = stores.get(connection);
  if (existing) return existing;
  const store = createRoot(() => {
    const [state, set] = createStore<PresentationStore>({ agenda: [], currentItemId: null, presenterId: null, view: null, pointer: null });
    createEffect(
      on(
        () => connection.state.features,
        (features) => {
          if (features.presentation) set(reconcile({ ...features.presentation, pointer: null }));
        },
      ),
    );
    const socket = connection.socket;
    // The pointer stays through the presenter's scroll and zoom updates; another presenter,
    // document or page takes it away.
    socket.on('presentation', (p) => {
      const moved = p.presenterId !== state.presenterId || p.view?.versionId !== state.view?.versionId || p.view?.page !== state.view?.page;
      set({ ...p, ...(moved ? { pointer: null } : {}) });
    });
    socket.on('agenda', (items) => set('agenda', reconcile(items)));
    socket.on('pointer', ({ userId, at }) => {
      if (userId === state.presenterId) set('pointer', at);
    });
    return state;
  });
  stores.set(connection, store);
  return store;
}
