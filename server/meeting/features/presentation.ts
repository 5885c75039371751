import { presentationSchemas } from '../../../protocol/presentation';
import { conflict, forbidden, notFound } from '../../errors';
import type { Logger } from '../../log';
import { LivePresentation } from '../../services/presentation';
import { request, type MeetingFeature } from '../feature';
import type { MeetingRoom } from '../MeetingRoom';

export interface PresentationFeature extends MeetingFeature {
  /** The room's presentation, for the features drawn over it (markups). */
  live(room: MeetingRoom): Promise<LivePresentation>;
}

/**
 * The shared dossier viewer: the chair opens agenda items and hands the presentation over;
 * the presenter's document, page, zoom and scroll go to everyone (persisted first), the
 * pointer to the others (not persisted). Join snapshots carry the agenda and the
 * presenter's place, so late joiners and reconnects open there.
 */
export function presentationFeature(log: Logger): PresentationFeature {
  const live = new WeakMap<MeetingRoom, Promise<LivePresentation>>();
  const of = (room: MeetingRoom) => {
    const p = live.get(room);
    if (!p) throw conflict('the meeting has no presentation');
    return p;
  };
  const failed = (what: string) => (e: Error) => log.error({ err: e }, what);
  const s = presentationSchemas;
  const chairOnly = { seats: ['chair'], refusal: 'only the chair may do this', inSession: true } as const;
  const inSession = { inSession: true } as const;

  return {
    name: 'presentation',
    live: of,

    roomCreated(room) {
      const loading = LivePresentation.load(room.sessionId, room.committeeId);
      live.set(room, loading);
      loading.then((p) => {
        p.on('changed', (state) => room.broadcast('presentation', state));
        // A vote closed (or another record changed): dossier statuses on the agenda moved.
        room.on('recordschanged', () => void p.refreshAgenda().then((items) => room.broadcast('agenda', items), failed('agenda refresh failed')));
        room.on('participantleft', (userId) => void p.participantLeft(userId).catch(failed('presenter hand-back failed')));
        room.on('dossierwithdrawn', (dossierId) => void p.dossierWithdrawn(dossierId).then((items) => items && room.broadcast('agenda', items), failed('withdrawal not applied')));
      }, failed('presentation load failed'));
    },

    snapshot: { name: 'presentation', of: async (room) => (await of(room)).snapshot() },

    requests: [
      request('openItem', s.openItem, async ({ agendaItemId }, { room }) => {
        await (await of(room)).openItem(agendaItemId);
        return null;
      }, chairOnly),
      request('setPresenter', s.setPresenter, async ({ userId }, { room }) => {
        const target = room.participants.get(userId);
        if (!target) throw notFound('participant');
        if (target.status !== 'present') throw conflict('the participant is reconnecting');
        await (await of(room)).setPresenter(userId);
        return null;
      }, chairOnly),
      request('present', s.present, async ({ view }, { room, userId }) => {
        await (await of(room)).present(userId, view);
        return null;
      }, inSession),
      request('pointer', s.pointer, async ({ at }, { room, userId, socket }) => {
        if (!(await of(room)).isPresenter(userId)) throw forbidden('only the presenter may point');
        room.broadcastExcept(socket.id, 'pointer', { userId, at });
        return null;
      }, inSession),
    ],
  };
}
