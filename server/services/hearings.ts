import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Sequelize, Transaction } from 'sequelize';
import {
  AgendaItem, Committee, CommitteeSeat, CommitteeSession, Dossier, DocumentVersion, Hearing, HearingInvitation,
} from '../../db/models';
import { forUpdate, writeTransaction } from '../../db/transactions';
import type { GuestView, HearingInvitationView, InviteGuest } from '../../protocol/hearings';
import type { HearingRecord } from '../../protocol/minutes';
import { guestLoginRefusal, hearingExpiry, linkRefusal, type InvitationFacts } from '../domain/hearings';
import { hasRole, type Principal } from '../domain/access';
import { AppError, forbidden, notFound } from '../errors';
import { queueNotice } from '../notifications/outbox';
import { documentsOf } from './dossiers';

const sha256 = (token: string) => crypto.createHash('sha256').update(token).digest('hex');
const newToken = () => crypto.randomBytes(32).toString('base64url');

type InvitationWithSession = HearingInvitation & { CommitteeSession: CommitteeSession & { Committee: Committee }; AgendaItem: AgendaItem & { Dossier: Dossier } };
/** What an invitation is read with: its session and committee, its agenda item and dossier. */
const WITH_SESSION = [{ model: CommitteeSession, include: [Committee] }, { model: AgendaItem, include: [Dossier] }];

const REFUSALS = {
  hearing_link_revoked: [410, 'this hearing link was withdrawn'],
  hearing_link_expired: [410, 'this hearing link is past its session'],
  hearing_link_used: [409, 'this hearing link was used already: open the page in the browser you first used'],
} as const;

const refused = (code: keyof typeof REFUSALS) => new AppError(REFUSALS[code][0], code, REFUSALS[code][1]);

function factsOf(inv: InvitationWithSession, now = new Date()): InvitationFacts {
  return { now, expiresAt: inv.expiresAt, revokedAt: inv.revokedAt, usedAt: inv.usedAt, endedAt: inv.endedAt, sessionStatus: inv.CommitteeSession.status };
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

function invitationView(inv: InvitationWithSession): HearingInvitationView {
  return {
    id: inv.id, sessionId: inv.sessionId, agendaItemId: inv.agendaItemId, position: inv.AgendaItem.position, dossierId: inv.dossierId,
    reference: inv.AgendaItem.Dossier.reference, name: inv.name, email: inv.email,
    createdAt: inv.createdAt.toISOString(), expiresAt: inv.expiresAt.toISOString(),
    usedAt: iso(inv.usedAt), revokedAt: iso(inv.revokedAt), endedAt: iso(inv.endedAt),
  };
}

/** A guest as their login holds them: the invitation and what it scopes them to. */
export interface Guest {
  invitationId: number;
  name: string;
  sessionId: number;
  committeeId: number;
  agendaItemId: number;
  dossierId: number;
  expiresAt: Date;
  view: GuestView;
}

function guestOf(inv: InvitationWithSession): Guest {
  const session = inv.CommitteeSession;
  return {
    invitationId: inv.id, name: inv.name, sessionId: inv.sessionId, committeeId: session.committeeId, agendaItemId: inv.agendaItemId,
    dossierId: inv.dossierId, expiresAt: inv.expiresAt,
    view: {
      invitationId: inv.id, name: inv.name, sessionId: inv.sessionId, startsAt: session.startsAt.toISOString(),
      committee: { nameAr: session.Committee.nameAr, nameFr: session.Committee.nameFr },
      agendaItemId: inv.agendaItemId, position: inv.AgendaItem.position, reference: inv.AgendaItem.Dossier.reference, expiresAt: inv.expiresAt.toISOString(),
    },
  };
}

export interface HearingServiceEvents {
  /** The invitation's guest may not go on (revoked, or the chair ended the hearing): their connections go. */
  ended: [invitationId: number, reason: 'revoked' | 'ended'];
}

/**
 * Invitations to be heard on one agenda item, their one-time links and the guest logins they
 * make. Only the sha256 of a link's token and of a guest login's token is stored; the link
 * goes out by email (Arabic then French, Tunis time) in the same write as the invitation.
 */
export class HearingService extends EventEmitter<HearingServiceEvents> {
  constructor(private readonly sequelize: Sequelize) {
    super();
  }

  /** The session, if `principal` may invite to it: its municipality's office, or the chair seated on its committee; otherwise 404/403. */
  async #sessionFor(principal: Principal | undefined, sessionId: number): Promise<CommitteeSession & { Committee: Committee }> {
    const session = (await CommitteeSession.findByPk(sessionId, { include: [Committee] })) as (CommitteeSession & { Committee: Committee }) | null;
    if (!session || !principal) throw notFound('session');
    const municipalityId = session.Committee.municipalityId;
    if (hasRole(principal, ['secretary'], municipalityId)) return session;
    const seat = await CommitteeSeat.findOne({ where: { committeeId: session.committeeId, userId: principal.userId } });
    if (!seat || !hasRole(principal, ['chair', 'member', 'secretary'], municipalityId)) throw notFound('session');
    if (seat.kind !== 'chair') throw forbidden('only the secretary or the chair invites to a hearing');
    return session;
  }

  async #invitation(id: number, transaction?: Transaction): Promise<InvitationWithSession | null> {
    return (await HearingInvitation.findByPk(id, { include: WITH_SESSION, transaction })) as InvitationWithSession | null;
  }

  /** Invites `body.name` to be heard on one item; the link goes out by email. `baseUrl` is where people open Lajna. */
  async invite(principal: Principal | undefined, body: InviteGuest & { email: string; name: string }, baseUrl: string): Promise<HearingInvitationView> {
    const session = await this.#sessionFor(principal, body.sessionId);
    if (session.status === 'closed') throw new AppError(409, 'invalid_transition', 'the session is closed');
    const item = (await AgendaItem.findByPk(body.agendaItemId, { include: [Dossier] })) as (AgendaItem & { Dossier: Dossier }) | null;
    if (!item || item.sessionId !== session.id) throw new AppError(422, 'item_not_in_session', 'that agenda item is not on this session');
    if (item.dossierId !== body.dossierId) throw new AppError(422, 'dossier_not_item', 'that dossier is not the one of this agenda item');
    const token = newToken();
    const expiresAt = hearingExpiry(session.startsAt);
    const id = await writeTransaction(this.sequelize, async (transaction) => {
      await CommitteeSession.findByPk(session.id, forUpdate(transaction));
      const inv = await HearingInvitation.create({
        sessionId: session.id, agendaItemId: item.id, dossierId: item.dossierId, name: body.name, email: body.email,
        linkHash: sha256(token), invitedById: principal!.userId, expiresAt,
      }, { transaction });
      await queueNotice([body.email], {
        kind: 'hearing_invitation', reference: item.Dossier.reference ?? '', committee: { ar: session.Committee.nameAr, fr: session.Committee.nameFr },
        startsAt: session.startsAt, position: item.position, name: body.name, url: `${baseUrl.replace(/\/$/, '')}/hearing#${token}`, expiresAt,
      }, transaction, { kind: 'hearing', about: `hearing:${inv.id}` });
      return inv.id;
    });
    return invitationView((await this.#invitation(id))!);
  }

  /** The session's invitations, for its office and its chair. */
  async list(principal: Principal | undefined, sessionId: number): Promise<HearingInvitationView[]> {
    await this.#sessionFor(principal, sessionId);
    const all = await HearingInvitation.findAll({ where: { sessionId }, include: WITH_SESSION, order: [['id', 'ASC']] });
    return (all as InvitationWithSession[]).map(invitationView);
  }

  /** Withdraws an invitation: its link and its guest login stop working, the guest leaves the meeting. */
  async revoke(principal: Principal | undefined, id: number): Promise<HearingInvitationView> {
    const found = await this.#invitation(id);
    if (!found) throw notFound('invitation');
    await this.#sessionFor(principal, found.sessionId);
    await writeTransaction(this.sequelize, async (transaction) => {
      const inv = await HearingInvitation.findByPk(id, forUpdate(transaction));
      if (!inv!.revokedAt) await inv!.update({ revokedAt: new Date() }, { transaction });
    });
    this.emit('ended', id, 'revoked');
    return invitationView((await this.#invitation(id))!);
  }

  /** The chair ended the hearing: the guest's login ends now (it is written before the guest is let go). */
  async end(id: number): Promise<void> {
    await writeTransaction(this.sequelize, async (transaction) => {
      const inv = await HearingInvitation.findByPk(id, forUpdate(transaction));
      if (inv && !inv.endedAt) await inv.update({ endedAt: new Date() }, { transaction });
    });
    this.emit('ended', id, 'ended');
  }

  /**
   * Follows a link once: a guest login is made (its token returned for the cookie, its hash
   * kept) and the link is spent, in one write under the invitation's row lock, so two
   * clicks at once make one login.
   */
  async redeem(token: string): Promise<{ loginToken: string; guest: Guest }> {
    const login = newToken();
    const id = await writeTransaction(this.sequelize, async (transaction) => {
      const row = await HearingInvitation.findOne({ where: { linkHash: sha256(token) }, ...forUpdate(transaction) });
      if (!row) throw new AppError(404, 'hearing_link_unknown', 'this is not a hearing link of ours');
      const inv = (await this.#invitation(row.id, transaction))!;
      const refusal = linkRefusal(factsOf(inv));
      if (refusal) throw refused(refusal);
      await row.update({ usedAt: new Date(), guestLoginHash: sha256(login) }, { transaction });
      return row.id;
    });
    return { loginToken: login, guest: guestOf((await this.#invitation(id))!) };
  }

  /** The guest behind a guest login cookie, or undefined when it is unknown, revoked, ended or expired. */
  async guestFromToken(token: string | undefined): Promise<Guest | undefined> {
    if (!token || token.length > 64) return undefined;
    const inv = (await HearingInvitation.findOne({ where: { guestLoginHash: sha256(token) }, include: WITH_SESSION })) as InvitationWithSession | null;
    if (!inv || guestLoginRefusal(factsOf(inv))) return undefined;
    return guestOf(inv);
  }

  /** A current version of a document of the guest's own dossier (what the committee is shown); any other, or an unknown id: 404. */
  async guestDocument(guest: Guest, versionId: number): Promise<DocumentVersion> {
    const current = (await documentsOf(guest.dossierId)).some((d) => d.currentVersion.id === versionId);
    const version = current ? await DocumentVersion.findByPk(versionId) : null;
    if (!version) throw notFound('document');
    return version;
  }
}

/** The guests heard on an agenda item, in order, as the minutes cite them. */
export async function hearingsOf(agendaItemId: number): Promise<HearingRecord[]> {
  const rows = await Hearing.findAll({ where: { agendaItemId }, include: [HearingInvitation], order: [['admittedAt', 'ASC'], ['id', 'ASC']] });
  return rows.map((h) => ({ name: (h as Hearing & { HearingInvitation: HearingInvitation }).HearingInvitation.name, admittedAt: h.admittedAt.toISOString(), leftAt: iso(h.leftAt) }));
}
