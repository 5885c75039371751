import { presentationSchemas } from '../../protocol/presentation';
import { conflict, forbidden, notFound } from '../errors';
import type { Logger } from '../log';
import { LivePresentation } from '../services/presentation';
import type { MeetingFeature } from './meeting';
import type { MeetingRoom } from './MeetingRoom';

/**
 * The shared dossier viewer on /meeting: the chair opens agenda items and hands the
 * presentation over; the presenter's document, page, zoom and scroll go to everyone
 * (persisted first), the pointer to the others (not persisted). Join snapshots carry the
 * agenda and the presenter's place, so late joiners and reconnects open there.
 */
export function presentationFeature(log: Logger): MeetingFeature {
  const live = new WeakMap<MeetingRoom, Promise<LivePresentation>>();
  const of = (room: MeetingRoom) => {
    const p = live.get(room);
    if (!p) throw conflict('the meeting has no presentation');
    return p;
  };
  const failed = (what: string) => (e: Error) => log.error({ error: e.message }, what);

  return {
    name: 'presentation',

    onRoomCreated(room) {
      const loading = LivePresentation.load(room.sessionId, room.committeeId);
      live.set(room, loading);
      loading.then((p) => {
        p.on('changed', (state) => room.broadcast('presentation', state));
        // A vote closed (or another record changed): dossier statuses on the agenda moved.
        room.on('recordschanged', () => void p.refreshAgenda().then((items) => room.broadcast('agenda', items), failed('agenda refresh failed')));
      }, failed('presentation load failed'));
    },

    async snapshot(room) {
      return (await of(room)).snapshot();
    },

    attach(socket, ctx) {
      const s = presentationSchemas;
      ctx.handle(socket, 'openItem', s.openItem, async ({ agendaItemId }) => {
        const room = ctx.roomOf(socket);
        room.requireChair(socket);
        await (await of(room)).openItem(agendaItemId);
      });
      ctx.handle(socket, 'setPresenter', s.setPresenter, async ({ userId }) => {
        const room = ctx.roomOf(socket);
        room.requireChair(socket);
        const target = room.participants.get(userId);
        if (!target) throw notFound('participant');
        if (target.status !== 'present') throw conflict('the participant is reconnecting');
        await (await of(room)).setPresenter(userId);
      });
      ctx.handle(socket, 'present', s.present, async ({ view }) => {
        const room = ctx.roomOf(socket);
        await (await of(room)).present(room.participant(socket).userId, view);
      });
      ctx.handle(socket, 'pointer', s.pointer, async ({ at }) => {
        const room = ctx.roomOf(socket);
        const { userId } = room.participant(socket);
        if (!(await of(room)).isPresenter(userId)) throw forbidden('only the presenter may point');
        socket.to(room.channel).emit('pointer', { userId, at });
      });
    },

    onParticipantLeft(room, userId) {
      void live.get(room)?.then((p) => p.participantLeft(userId)).catch(failed('presenter hand-back failed'));
    },
  };
}
