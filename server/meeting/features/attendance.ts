import type { PresenceMode } from '../../../protocol/meeting';
import type { Logger } from '../../log';
import { recordJoin, recordLeave } from '../../services/attendance';
import type { MeetingFeature } from '../feature';
import type { MeetingRoom } from '../MeetingRoom';

/**
 * The attendance record of one meeting, written as the room's presence changes while the
 * session is live (the waiting room before the chair opens it is not attendance): a stretch
 * per member and mode, continued across a drop shorter than the grace period (the rule is
 * server/domain/attendance.ts). Writes run one after another in the order of the room's
 * events, off the room: the room never waits for the database.
 */
export class AttendanceRecorder {
  #queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly room: MeetingRoom,
    private readonly log: Logger,
  ) {
    // Mode and time are the event's, not the write's: a write may wait its turn.
    const present = (p: { userId: number; mode: PresenceMode }) => {
      const { userId, mode } = p;
      if (room.inSession) this.#write('join', (at) => recordJoin(room.sessionId, userId, mode, at));
    };
    room.on('joined', present);
    room.on('modechanged', (p) => p.connections.size > 0 && present(p));
    room.on('absent', (p) => room.inSession && this.#write('leave', (at) => recordLeave(room.sessionId, p.userId, at)));
    // Everyone in the waiting room when the chair opens the session attends from that moment.
    room.on('opened', () => {
      for (const p of room.participants.values()) if (p.status === 'present') present(p);
    });
  }

  /** Resolves once every write queued so far is done. */
  settled(): Promise<void> {
    return this.#queue;
  }

  #write(what: string, write: (at: Date) => Promise<void>): void {
    const at = new Date();
    this.#queue = this.#queue.then(() => write(at)).catch((err: Error) => this.log.error({ err, sessionId: this.room.sessionId, what, at }, 'attendance write failed'));
  }
}

/** Records who attended, when and how, from the room's presence. */
export function attendanceFeature(log: Logger): MeetingFeature {
  const recorders = new WeakMap<MeetingRoom, AttendanceRecorder>();
  return {
    name: 'attendance',
    roomCreated: (room) => void recorders.set(room, new AttendanceRecorder(room, log)),
    settled: async (room) => recorders.get(room)?.settled(),
  };
}
