import { Op } from 'sequelize';
import {
  AgendaItem, Committee, CommitteeSeat, CommitteeSession, Dossier, DossierType, Municipality, OutboxMessage, User,
} from '../../db/models';
import { writeTransaction } from '../../db/transactions';
import type { ConveneResult, PublicSessionView, SessionView } from '../../protocol/sessions';
import type { Config } from '../config';
import { hasRole, type Principal } from '../domain/access';
import { AppError, notFound } from '../errors';
import { sessionInvite } from './calendarInvite';
import { documentsOf, transitionIn, typeName } from './dossiers';

// The foundation's models declare no association attributes; these name the included ones.
type SessionWithCommittee = CommitteeSession & { Committee?: Committee };
type SeatWithUser = CommitteeSeat & { User?: User };

/** How someone relates to a session: the municipality's office, or a seat on its committee. */
export type SessionViewer = 'office' | 'seat';

/** The session if `principal` is its municipality's office or sits on its committee; otherwise 404. */
export async function sessionFor(principal: Principal | undefined, sessionId: number): Promise<{ session: CommitteeSession; committee: Committee; viewer: SessionViewer }> {
  const session = await CommitteeSession.findByPk(sessionId, { include: [Committee] });
  const committee = (session as SessionWithCommittee | null)?.Committee;
  if (!session || !committee || !principal) throw notFound('session');
  if (hasRole(principal, ['secretary'], committee.municipalityId)) return { session, committee, viewer: 'office' };
  const seat = await CommitteeSeat.findOne({ where: { committeeId: committee.id, userId: principal.userId } });
  if (!seat || !hasRole(principal, ['chair', 'member', 'secretary'], committee.municipalityId)) throw notFound('session');
  return { session, committee, viewer: 'seat' };
}

/** The session with its agenda in order: each dossier's reference, type, address and current documents. */
export async function sessionView(session: CommitteeSession, committee: Committee): Promise<SessionView> {
  const items = await AgendaItem.findAll({ where: { sessionId: session.id }, include: [{ model: Dossier, include: [DossierType] }], order: [['position', 'ASC']] });
  const agenda = await Promise.all(items.map(async (a) => ({
    id: a.id,
    position: a.position,
    dossier: {
      id: a.Dossier!.id, reference: a.Dossier!.reference, status: a.Dossier!.status,
      type: typeName(a.Dossier!.DossierType!),
      address: a.Dossier!.address, parcelRef: a.Dossier!.parcelRef, coveredAreaM2: a.Dossier!.coveredAreaM2, levels: a.Dossier!.levels,
      documents: (await documentsOf(a.Dossier!.id)).map((d) => ({ id: d.id, itemCode: d.itemCode, currentVersion: d.currentVersion })),
    },
  })));
  return {
    id: session.id, startsAt: session.startsAt.toISOString(), mode: session.mode, location: session.location, status: session.status,
    committee: { id: committee.id, municipalityId: committee.municipalityId, nameAr: committee.nameAr, nameFr: committee.nameFr },
    agenda,
  };
}

/** The ids of the committees the principal staffs (secretary, admin) or sits on. */
async function committeeIdsOf(principal: Principal): Promise<number[]> {
  const offices = principal.memberships.filter((m) => m.role === 'secretary' || m.role === 'admin').map((m) => m.municipalityId);
  const seats = await CommitteeSeat.findAll({ where: { userId: principal.userId } });
  const committees = await Committee.findAll({ where: { [Op.or]: [{ municipalityId: { [Op.in]: offices } }, { id: { [Op.in]: seats.map((s) => s.committeeId) } }] } });
  return committees.map((c) => c.id);
}

/** Upcoming sessions (not closed, from yesterday on) of the committees the principal staffs or sits on. */
export async function upcomingSessionsFor(principal: Principal, now = new Date()): Promise<SessionView[]> {
  const sessions = await CommitteeSession.findAll({
    where: { committeeId: { [Op.in]: await committeeIdsOf(principal) }, status: { [Op.ne]: 'closed' }, startsAt: { [Op.gte]: new Date(now.getTime() - 86_400_000) } },
    include: [Committee], order: [['startsAt', 'ASC']],
  });
  return Promise.all(sessions.map((s) => sessionView(s, (s as SessionWithCommittee).Committee!)));
}

/** Closed sessions of the last 180 days of the committees the principal staffs or sits on, newest first (their minutes to finalize and sign). */
export async function recentClosedSessionsFor(principal: Principal, now = new Date()): Promise<SessionWithCommittee[]> {
  return CommitteeSession.findAll({
    where: { committeeId: { [Op.in]: await committeeIdsOf(principal) }, status: 'closed', startsAt: { [Op.gte]: new Date(now.getTime() - 180 * 86_400_000) } },
    include: [Committee], order: [['startsAt', 'DESC']], limit: 50,
  });
}

/**
 * Replaces the agenda with `dossierIds` in that order: added dossiers must be complete and go
 * to `scheduled`, removed ones go back to `complete`; one transaction for all of it.
 */
export async function setAgenda(principal: Principal, session: CommitteeSession, committee: Committee, dossierIds: number[]): Promise<void> {
  if (session.status !== 'planned') throw new AppError(409, 'invalid_transition', 'the agenda of a live or closed session cannot change');
  if (new Set(dossierIds).size !== dossierIds.length) throw new AppError(400, 'invalid_payload', 'a dossier appears twice on the agenda');
  await writeTransaction(CommitteeSession.sequelize!, async (transaction) => {
    const current = await AgendaItem.findAll({ where: { sessionId: session.id }, transaction });
    const before = new Set(current.map((a) => a.dossierId));
    const wanted = await Dossier.findAll({ where: { id: { [Op.in]: dossierIds } }, transaction });
    if (wanted.length !== dossierIds.length || wanted.some((d) => d.municipalityId !== committee.municipalityId)) {
      throw new AppError(404, 'not_found', 'dossier not found');
    }
    for (const a of current) {
      if (!dossierIds.includes(a.dossierId)) {
        await a.destroy({ transaction });
        await transitionIn(transaction, principal, a.dossierId, 'office', { action: 'unschedule', note: `session ${session.id}` });
      }
    }
    // Positions are rewritten from scratch; no unique key on them, so the order of updates does not matter.
    for (const [i, dossierId] of dossierIds.entries()) {
      if (before.has(dossierId)) {
        await AgendaItem.update({ position: i + 1 }, { where: { sessionId: session.id, dossierId }, transaction });
      } else {
        await transitionIn(transaction, principal, dossierId, 'office', { action: 'schedule', note: `session ${session.id}` });
        await AgendaItem.create({ sessionId: session.id, dossierId, position: i + 1 }, { transaction });
      }
    }
  });
}

/** Queues the convocation (email + .ics invite) for every seat of the committee; answers how many. */
export async function convene(session: CommitteeSession, committee: Committee, config: Config): Promise<ConveneResult> {
  const [municipality, seats, agenda] = await Promise.all([
    Municipality.findByPk(committee.municipalityId),
    CommitteeSeat.findAll({ where: { committeeId: committee.id }, include: [User] }),
    AgendaItem.findAll({ where: { sessionId: session.id }, include: [{ model: Dossier, include: [DossierType] }], order: [['position', 'ASC']] }),
  ]);
  if (agenda.length === 0) throw new AppError(409, 'conflict', 'put dossiers on the agenda before convening');
  const fromEmail = /<([^>]+)>/.exec(config.smtp.from)?.[1] ?? config.smtp.from;
  const url = config.publicUrl ? `${config.publicUrl.replace(/\/$/, '')}/meeting/${session.id}` : undefined;
  const lines = agenda.map((a) => `${a.position}. ${a.Dossier!.reference} — ${a.Dossier!.DossierType!.nameFr} — ${a.Dossier!.address}`);
  const when = session.startsAt.toISOString().replace('T', ' ').slice(0, 16);
  const description = [`${committee.nameFr} — ${municipality!.nameFr}`, `Séance du ${when} UTC (${session.mode === 'remote' ? 'à distance' : 'hybride'})`, '', 'Ordre du jour :', ...lines, ...(url ? ['', url] : [])].join('\n');
  const attendees = (seats as SeatWithUser[]).map((s) => ({ name: s.User!.nameFr, email: s.User!.email }));
  const ics = sessionInvite({
    uid: `session-${session.id}@lajna`, sequence: Math.floor(Date.now() / 1000), start: session.startsAt, durationMinutes: 120,
    summary: `${committee.nameFr} — séance ${when.slice(0, 10)}`, description, location: session.location || (url ?? 'Lajna'),
    url, organizer: { name: municipality!.nameFr, email: fromEmail }, attendees,
  });
  await OutboxMessage.bulkCreate((seats as SeatWithUser[]).map((s) => ({
    kind: 'convocation', toAddress: s.User!.email, subject: `Convocation — ${committee.nameFr} — ${when.slice(0, 10)}`,
    text: description, ics, nextAttemptAt: new Date(),
  })));
  return { queued: seats.length };
}

/** What the public may know of upcoming sessions: date, mode, municipality, and the agenda by reference only. */
export async function publicUpcomingSessions(now = new Date()): Promise<PublicSessionView[]> {
  const sessions = await CommitteeSession.findAll({
    where: { status: { [Op.ne]: 'closed' }, startsAt: { [Op.gte]: new Date(now.getTime() - 86_400_000) } },
    include: [{ model: Committee, include: [Municipality] }], order: [['startsAt', 'ASC']],
  });
  return Promise.all(sessions.map(async (s) => {
    const items = await AgendaItem.findAll({ where: { sessionId: s.id }, include: [{ model: Dossier, attributes: ['reference', 'dossierTypeId'], include: [DossierType] }], order: [['position', 'ASC']] });
    const m = ((s as SessionWithCommittee).Committee as Committee & { Municipality: Municipality }).Municipality;
    return {
      id: s.id, startsAt: s.startsAt.toISOString(), mode: s.mode, status: s.status,
      municipality: { code: m.code, nameAr: m.nameAr, nameFr: m.nameFr },
      agenda: items.map((a) => ({ position: a.position, reference: a.Dossier!.reference, type: typeName(a.Dossier!.DossierType!) })),
    };
  }));
}
