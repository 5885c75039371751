import type { Sequelize } from 'sequelize';
import { AgendaItem, CommitteeSeat, CommitteeSession, Dossier, Vote } from '../../db/models';
import { forUpdate, writeTransaction } from '../../db/transactions';
import type { CommitteeSeatKind } from '../../protocol/enums';
import type { MeetingSession } from '../../protocol/meeting';
import { meetingOpen, sessionStep, unexamined, type SessionAction } from '../domain/sessionLifecycle';
import { AppError, conflict, forbidden, notFound } from '../errors';
import { appendAudit } from './audit';
import { transitionIn } from './dossiers';
import type { RightsFeed } from './RightsFeed';

/** What the meeting needs to let a member in: the session as the room shows it, and their seat on its committee. */
export interface MeetingSeat {
  sessionId: number;
  committeeId: number;
  session: MeetingSession;
  seat: CommitteeSeatKind;
}

const meetingSession = (s: CommitteeSession): MeetingSession => ({
  status: s.status === 'live' ? 'live' : 'planned',
  startsAt: s.startsAt.toISOString(),
  openedAt: s.openedAt?.toISOString() ?? null,
});

/**
 * A session's lifecycle as the chair runs it (server/domain/sessionLifecycle.ts): opened,
 * then ended, each step written through the serialised write path with its audit entry,
 * then published on the rights feed, so the meeting (on whichever node holds it) follows.
 */
export class SessionService {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly rights: RightsFeed,
  ) {}

  /** The member's seat for entering a session's meeting: not_found, forbidden off the committee, invalid_transition once closed. */
  async meetingSeat(sessionId: number, userId: number): Promise<MeetingSeat> {
    const session = await CommitteeSession.findByPk(sessionId);
    if (!session) throw notFound('session');
    const seat = await CommitteeSeat.findOne({ where: { committeeId: session.committeeId, userId } });
    if (!seat) throw forbidden("only this session's committee may join its meeting");
    if (!meetingOpen(session.status)) throw new AppError(409, 'invalid_transition', 'the session is closed');
    return { sessionId, committeeId: session.committeeId, session: meetingSession(session), seat: seat.kind };
  }

  /** The chair opens the planned session: it is live from now on (attendance, dossiers shown, votes). */
  async open(sessionId: number, userId: number, at = new Date()): Promise<MeetingSession> {
    const session = await writeTransaction(this.sequelize, async (transaction) => {
      const session = await this.#step(sessionId, userId, 'open', transaction);
      await session.update({ status: 'live', openedAt: at }, { transaction });
      await appendAudit(transaction, { at, actorId: userId, action: 'session.opened', subject: `session:${sessionId}`, payload: { startsAt: session.startsAt.toISOString() } });
      return session;
    });
    this.rights.publish({ kind: 'session_status', sessionId, status: 'live', at: at.toISOString() });
    return meetingSession(session);
  }

  /**
   * The chair ends the live session: refused while a vote is open (checked in the same write,
   * so a vote cannot open in between); the dossiers left without an opinion go back to
   * `complete`, to be scheduled again. Gives their ids.
   */
  async end(sessionId: number, userId: number, at = new Date()): Promise<number[]> {
    const returned = await writeTransaction(this.sequelize, async (transaction) => {
      const session = await this.#step(sessionId, userId, 'end', transaction);
      const items = await AgendaItem.findAll({ where: { sessionId }, include: [{ model: Dossier, attributes: ['id', 'status'] }], transaction });
      const open = await Vote.count({ where: { agendaItemId: items.map((i) => i.id), status: 'open' }, transaction });
      if (open > 0) throw conflict('a vote is still open: close it before ending the session');
      const back = unexamined(items.map((i) => ({ dossierId: i.dossierId, dossierStatus: i.Dossier!.status })));
      for (const dossierId of back) {
        await transitionIn(transaction, { userId }, dossierId, 'committee', { action: 'unschedule', details: { sessionId } });
      }
      await session.update({ status: 'closed', closedAt: at }, { transaction });
      await appendAudit(transaction, { at, actorId: userId, action: 'session.closed', subject: `session:${sessionId}`, payload: { returnedDossiers: back } });
      return back;
    });
    this.rights.publish({ kind: 'session_status', sessionId, status: 'closed', at: at.toISOString() });
    return returned;
  }

  /** The session read for a step, with the lifecycle's verdict on who asks (their seat as it is now). */
  async #step(sessionId: number, userId: number, action: SessionAction, transaction: Parameters<typeof forUpdate>[0]): Promise<CommitteeSession> {
    const session = await CommitteeSession.findByPk(sessionId, forUpdate(transaction));
    if (!session) throw notFound('session');
    const seat = await CommitteeSeat.findOne({ where: { committeeId: session.committeeId, userId }, transaction });
    const verdict = sessionStep(session.status, action, seat?.kind);
    if (!verdict.ok) {
      if (verdict.reason === 'wrong_seat') throw forbidden(`only the chair may ${action} the session`);
      throw new AppError(409, 'invalid_transition', `a ${session.status} session cannot be ${action === 'open' ? 'opened' : 'ended'}`, { status: session.status });
    }
    return session;
  }
}
