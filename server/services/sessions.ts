import { Op, type Transaction } from 'sequelize';
import {
  AgendaItem, ChecklistItem, Committee, CommitteeSeat, CommitteeSession, Dossier, DossierType, Municipality, OutboxMessage, User,
} from '../../db/models';
import { forUpdate, writeTransaction } from '../../db/transactions';
import { formatDay } from '../../protocol/municipalTime';
import type { ConveneResult, ConvocationView, PublicSessionView, SessionView } from '../../protocol/sessions';
import type { Config } from '../config';
import { hasRole, type Principal } from '../domain/access';
import { AppError, notFound } from '../errors';
import { composeNotice, type Notice } from '../notifications/notices';
import { queueNotice, queueSms } from '../notifications/outbox';
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
  const items = await AgendaItem.findAll({ where: { sessionId: session.id }, include: [{ model: Dossier, include: [{ model: DossierType, include: [ChecklistItem] }] }], order: [['position', 'ASC']] });
  const label = (a: AgendaItem, code: string) => {
    const item = a.Dossier!.DossierType!.ChecklistItems?.find((c) => c.code === code);
    return { labelAr: item?.labelAr ?? code, labelFr: item?.labelFr ?? code, labelEn: item?.labelEn ?? code };
  };
  const agenda = await Promise.all(items.map(async (a) => ({
    id: a.id,
    position: a.position,
    dossier: {
      id: a.Dossier!.id, reference: a.Dossier!.reference, status: a.Dossier!.status,
      type: typeName(a.Dossier!.DossierType!),
      address: a.Dossier!.address, parcelRef: a.Dossier!.parcelRef, coveredAreaM2: a.Dossier!.coveredAreaM2, levels: a.Dossier!.levels,
      documents: (await documentsOf(a.Dossier!.id)).map((d) => ({ id: d.id, itemCode: d.itemCode, ...label(a, d.itemCode), currentVersion: d.currentVersion })),
    },
  })));
  return {
    id: session.id, startsAt: session.startsAt.toISOString(), mode: session.mode, location: session.location, status: session.status,
    committee: { id: committee.id, municipalityId: committee.municipalityId, nameAr: committee.nameAr, nameFr: committee.nameFr },
    agenda,
    convocation: await convocationOf(session),
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
        await transitionIn(transaction, principal, a.dossierId, 'office', { action: 'unschedule', details: { sessionId: session.id } });
      }
    }
    // Positions are rewritten from scratch; no unique key on them, so the order of updates does not matter.
    for (const [i, dossierId] of dossierIds.entries()) {
      if (before.has(dossierId)) {
        await AgendaItem.update({ position: i + 1 }, { where: { sessionId: session.id, dossierId }, transaction });
      } else {
        await transitionIn(transaction, principal, dossierId, 'office', { action: 'schedule', details: { sessionId: session.id } });
        await AgendaItem.create({ sessionId: session.id, dossierId, position: i + 1 }, { transaction });
      }
    }
  });
}

const sessionAbout = (session: CommitteeSession) => `session:${session.id}`;

/** The session's convocations as the office sees them (null before the first). */
export async function convocationOf(session: CommitteeSession, transaction?: Transaction): Promise<ConvocationView | null> {
  const rows = await OutboxMessage.findAll({
    where: { about: sessionAbout(session), kind: 'convocation', channel: 'email' }, attributes: ['toAddress', 'sentAt', 'createdAt'], order: [['id', 'ASC']], transaction,
  });
  if (rows.length === 0) return null;
  const latest = new Map(rows.map((r) => [r.toAddress, r]));
  return {
    lastAt: rows.at(-1)!.createdAt.toISOString(),
    recipients: latest.size,
    delivered: [...latest.values()].filter((r) => r.sentAt).length,
    rounds: Math.round(rows.length / latest.size),
  };
}

/**
 * Queues the convocation (email in Arabic and French + .ics invite) for every seat of the
 * committee. Once convened, a session is convened again only when asked (`again`): a second
 * click otherwise answers 409 already_convened with what was sent and when. The check and
 * the queueing are one write, under the session's row lock.
 */
export async function convene(session: CommitteeSession, committee: Committee, config: Config, again: boolean): Promise<ConveneResult> {
  return writeTransaction(CommitteeSession.sequelize!, async (transaction) => {
    await CommitteeSession.findByPk(session.id, forUpdate(transaction));
    const [municipality, seats, agenda, before] = await Promise.all([
      Municipality.findByPk(committee.municipalityId, { transaction }),
      CommitteeSeat.findAll({ where: { committeeId: committee.id }, include: [User], transaction }),
      AgendaItem.findAll({ where: { sessionId: session.id }, include: [{ model: Dossier, include: [DossierType] }], order: [['position', 'ASC']], transaction }),
      convocationOf(session, transaction),
    ]);
    if (agenda.length === 0) throw new AppError(409, 'conflict', 'put dossiers on the agenda before convening');
    if (before && !again) throw new AppError(409, 'already_convened', 'the members are already convened; send again only if asked', { convocation: before });
    const fromEmail = /<([^>]+)>/.exec(config.smtp.from)?.[1] ?? config.smtp.from;
    const url = config.publicUrl ? `${config.publicUrl.replace(/\/$/, '')}/meeting/${session.id}` : undefined;
    const notice: Notice = {
      kind: 'convocation', startsAt: session.startsAt, mode: session.mode, location: session.location, url,
      committee: { ar: committee.nameAr, fr: committee.nameFr }, municipality: { ar: municipality!.nameAr, fr: municipality!.nameFr },
      agenda: agenda.map((a) => ({
        position: a.position, reference: a.Dossier!.reference, address: a.Dossier!.address,
        type: { ar: a.Dossier!.DossierType!.nameAr, fr: a.Dossier!.DossierType!.nameFr },
      })),
    };
    const { text } = composeNotice(notice);
    const attendees = (seats as SeatWithUser[]).map((s) => ({ name: s.User!.nameFr, email: s.User!.email }));
    const ics = sessionInvite({
      uid: `session-${session.id}@lajna`, sequence: Math.floor(Date.now() / 1000), start: session.startsAt, durationMinutes: 120,
      summary: `${committee.nameFr} — séance du ${formatDay(session.startsAt)}`, description: text, location: session.location || (url ?? 'Lajna'),
      url, organizer: { name: municipality!.nameFr, email: fromEmail }, attendees,
    });
    await queueNotice(attendees.map((a) => a.email), notice, transaction, { kind: 'convocation', about: sessionAbout(session), ics });
    await queueSms(committee.municipalityId, (seats as SeatWithUser[]).map((s) => s.User!), notice, transaction, { kind: 'convocation', about: sessionAbout(session) });
    return { queued: seats.length, convocation: (await convocationOf(session, transaction))! };
  });
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
