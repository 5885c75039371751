import { AttendanceInterval, User } from '../../db/models';
import { forUpdate, writeTransaction } from '../../db/transactions';
import type { PresenceMode } from '../../protocol/meeting';
import { attendedMs, onJoin } from '../domain/attendance';

/** Records that a member is connected in `mode`; a return within the grace period continues the last interval. */
export async function recordJoin(sessionId: number, userId: number, mode: PresenceMode, now = new Date()): Promise<void> {
  await writeTransaction(AttendanceInterval.sequelize!, async (transaction) => {
    const last = await AttendanceInterval.findOne({ where: { sessionId, userId }, order: [['joinedAt', 'DESC'], ['id', 'DESC']], ...forUpdate(transaction) });
    const action = onJoin(last ? { mode: last.mode, joinedAt: last.joinedAt, leftAt: last.leftAt ?? null, interrupted: last.interrupted } : undefined, mode, now);
    if (action === 'continue') return;
    if (action === 'reopen') {
      await last!.update({ leftAt: null }, { transaction });
      return;
    }
    if (action === 'close-and-open') await last!.update({ leftAt: now }, { transaction });
    await AttendanceInterval.create({ sessionId, userId, mode, joinedAt: now }, { transaction });
  });
}

/** Closes the member's open interval. */
export async function recordLeave(sessionId: number, userId: number, now = new Date()): Promise<void> {
  await writeTransaction(AttendanceInterval.sequelize!, (transaction) =>
    AttendanceInterval.update({ leftAt: now }, { where: { sessionId, userId, leftAt: null }, transaction }));
}

export interface Attendee {
  userId: number;
  nameAr: string;
  nameFr: string;
  /** Connected right now. */
  present: boolean;
  attendedMs: number;
  intervals: { mode: PresenceMode; joinedAt: Date; leftAt: Date | null }[];
}

/** A session's attendance, one entry per member, for quorum and minutes. */
export async function sessionAttendance(sessionId: number, now = new Date()): Promise<Attendee[]> {
  const rows = await AttendanceInterval.findAll({ where: { sessionId }, include: [User], order: [['joinedAt', 'ASC'], ['id', 'ASC']] });
  const byUser = new Map<number, Attendee>();
  for (const row of rows) {
    const user = (row as AttendanceInterval & { User: User }).User;
    let a = byUser.get(row.userId);
    if (!a) {
      a = { userId: row.userId, nameAr: user.nameAr, nameFr: user.nameFr, present: false, attendedMs: 0, intervals: [] };
      byUser.set(row.userId, a);
    }
    a.intervals.push({ mode: row.mode, joinedAt: row.joinedAt, leftAt: row.leftAt ?? null });
  }
  for (const a of byUser.values()) {
    a.present = a.intervals.some((i) => i.leftAt === null);
    a.attendedMs = attendedMs(a.intervals, now);
  }
  return [...byUser.values()];
}
