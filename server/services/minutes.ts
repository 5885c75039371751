import type { Sequelize } from 'sequelize';
import { Op } from 'sequelize';
import {
  AgendaItem, AttendanceInterval, Ballot, Committee, CommitteeSeat, CommitteeSession, Dossier, DossierType, MinutesRecord, MinutesSignature,
  Municipality, Recusal, User,
} from '../../db/models';
import { writeTransaction } from '../../db/transactions';
import { MUNICIPAL_TIME_ZONE } from '../../protocol/enums';
import type {
  MinutesContent, MinutesItem, MinutesListEntry, MinutesPerson, MinutesView, PublishedSessionOpinions, VoteRecord,
} from '../../protocol/minutes';
import type { Principal } from '../domain/access';
import { sha256Hex } from '../domain/auditChain';
import {
  attendanceFrom, editMinutes, itemOpinion, minutesCanonical, minutesMarkups, minutesHash, nextSigner, publishedOpinions, withSecretaryText, type MinutesTextEdit,
} from '../domain/minutes';
import { quorum } from '../domain/voting';
import { AppError, forbidden, notFound } from '../errors';
import { appendAudit } from './audit';
import { checkSessionAgainstAudit } from './recordCheck';
import { chatAnnexOf } from './chat';
import { hearingsOf } from './hearings';
import { markupsOfItem } from './markups';
import type { DocumentStore } from './documentStore';
import { currentPdf } from '../signing/MinutesSigning';
import type { MarkupRenderer } from './markupRender';
import { layoutMinutesPdf, type MinutesLanguage } from './minutesPdf';
import { closedVotesOf, minutesPageImages, opinionVote } from './minutesPages';
import { shownDocumentsOf } from './presentation';
import { recentClosedSessionsFor } from './sessions';

const immutable = (record: MinutesRecord) =>
  new AppError(409, 'immutable', 'the minutes are finalized and can no longer change', { finalizedAt: record.finalizedAt });

const contentOf = (record: MinutesRecord) => JSON.parse(record.content) as MinutesContent;

type SignatureWithUser = MinutesSignature & { User?: User };

/**
 * The minutes records of sessions: drafts filled from the session's records and edited by
 * the secretary, finalized once the session is closed (hashed into the audit chain, PDFs
 * fingerprinted); signing them is server/signing/MinutesSigning's.
 */
export class MinutesService {
  constructor(
    private readonly sequelize: Sequelize,
    /** Keeps the finalized PDFs: what is downloaded later is the very file that was fingerprinted. */
    private readonly store: DocumentStore,
    /** Draws the cited marked-up pages printed in the PDFs; without it the PDFs list the markups only. */
    private readonly renderer?: MarkupRenderer,
  ) {}

  /**
   * The minutes as the records say the session went, without the secretary's text:
   * attendance from the presence intervals, and per agenda item the document versions
   * shown to the committee, its recusals, its closed votes with named ballots, and the
   * opinion, conditions and reasons of its last valid vote.
   */
  async assemble(sessionId: number): Promise<MinutesContent> {
    const session = await CommitteeSession.findByPk(sessionId);
    const committee = session && await Committee.findByPk(session.committeeId);
    const municipality = committee && await Municipality.findByPk(committee.municipalityId);
    if (!session || !committee || !municipality) throw notFound('session');
    const seats = await CommitteeSeat.findAll({ where: { committeeId: committee.id }, include: [User] }) as (CommitteeSeat & { User?: User })[];
    const people: MinutesPerson[] = seats.map((s) => ({ userId: s.userId, nameAr: s.User!.nameAr, nameFr: s.User!.nameFr, seat: s.kind, titleAr: s.titleAr, titleFr: s.titleFr }));
    const named = (userId: number) => {
      const p = people.find((x) => x.userId === userId);
      return { userId, nameAr: p?.nameAr ?? '', nameFr: p?.nameFr ?? '' };
    };
    const intervals = await AttendanceInterval.findAll({ where: { sessionId } });
    const votingSeats = seats.map((s) => ({ userId: s.userId, kind: s.kind, vetoHolder: s.vetoHolder }));

    const items: MinutesItem[] = [];
    const agenda = await AgendaItem.findAll({ where: { sessionId }, order: [['position', 'ASC']], include: [{ model: Dossier, include: [DossierType] }] });
    for (const item of agenda) {
      const dossier = item.Dossier!;
      const votes = await closedVotesOf(item.id);
      const records: VoteRecord[] = [];
      for (const v of votes) {
        const ballots = await Ballot.findAll({ where: { voteId: v.id }, order: [['id', 'ASC']] });
        records.push({
          question: v.question, openedAt: v.openedAt.toISOString(), closedAt: v.closedAt!.toISOString(),
          quorumAtOpen: v.quorumAtOpen, quorumAtClose: v.quorumAtClose!, tally: v.tally!, outcome: v.outcome!, reasons: v.reasons,
          ballots: ballots.map((b) => ({ ...named(b.userId), choice: b.choice })),
        });
      }
      const { lastValid, conditioned } = opinionVote(votes);
      const documents = (await shownDocumentsOf(item.id)).map(({ documentVersionId: _id, ...cited }) => cited);
      const markups = minutesMarkups(await markupsOfItem(item.id), conditioned?.citedMarkups ?? [], documents);
      items.push({
        position: item.position, dossierReference: dossier.reference ?? '', address: dossier.address,
        dossierTypeAr: dossier.DossierType?.nameAr ?? '', dossierTypeFr: dossier.DossierType?.nameFr ?? '',
        documents,
        recusals: (await Recusal.findAll({ where: { agendaItemId: item.id }, order: [['at', 'ASC']] })).map((r) => ({ ...named(r.userId), reason: r.reason })),
        hearings: await hearingsOf(item.id),
        votes: records, ...(markups ? { markups } : {}), opinion: itemOpinion(records),
        conditions: conditioned?.conditions ?? '',
        reasons: lastValid?.reasons ?? '', notes: '',
      });
    }
    return {
      format: 1,
      municipality: { code: municipality.code, nameAr: municipality.nameAr, nameFr: municipality.nameFr },
      committee: { id: committee.id, nameAr: committee.nameAr, nameFr: committee.nameFr, rules: committee.rules },
      session: { id: session.id, startsAt: session.startsAt.toISOString(), mode: session.mode, location: session.location },
      date: new Intl.DateTimeFormat('en-CA', { timeZone: MUNICIPAL_TIME_ZONE }).format(session.startsAt),
      attendance: attendanceFrom(people, intervals.map((i) => ({ userId: i.userId, joinedAt: i.joinedAt, leftAt: i.leftAt, mode: i.mode }))),
      quorum: quorum(committee.rules, votingSeats, [...new Set(intervals.map((i) => i.userId))]),
      items,
      remarks: '',
      chat: await chatAnnexOf(sessionId),
    };
  }

  /**
   * Brings the draft up to date with the records, keeping the secretary's text (created on
   * first use). The text is read inside the write, so an edit saved meanwhile is never
   * overwritten. A finalized record is returned as it is.
   */
  async refreshDraft(sessionId: number): Promise<MinutesRecord> {
    const assembled = await this.assemble(sessionId);
    return writeTransaction(this.sequelize, async (transaction) => {
      const record = await MinutesRecord.findOne({ where: { sessionId }, transaction });
      if (record?.status === 'finalized') return record;
      const content = minutesCanonical(withSecretaryText(assembled, record ? contentOf(record) : null));
      if (!record) return MinutesRecord.create({ sessionId, content }, { transaction });
      return record.content === content ? record : record.update({ content }, { transaction });
    });
  }

  /** The minutes as their readers see them: a draft refreshed from the records until it is finalized. */
  async view(sessionId: number): Promise<MinutesView> {
    const stored = await MinutesRecord.findOne({ where: { sessionId } });
    return this.viewOf(stored?.status === 'finalized' ? stored : await this.refreshDraft(sessionId));
  }

  private async viewOf(record: MinutesRecord): Promise<MinutesView> {
    const signatures = await MinutesSignature.findAll({ where: { minutesId: record.id }, include: [User], order: [['signedAt', 'ASC'], ['id', 'ASC']] }) as SignatureWithUser[];
    const finalizedAt = record.finalizedAt?.toISOString() ?? null;
    return {
      sessionId: record.sessionId,
      status: record.status,
      content: contentOf(record),
      hash: record.hash ?? null,
      finalizedAt,
      pdfSha256: record.pdfSha256Ar && record.pdfSha256Fr ? { ar: record.pdfSha256Ar, fr: record.pdfSha256Fr } : null,
      signatures: signatures.map((s) => ({
        role: s.role, userId: s.userId, signedAt: s.signedAt.toISOString(), minutesHash: s.minutesHash, method: s.method, value: s.value,
        nameAr: s.User!.nameAr, nameFr: s.User!.nameFr,
      })),
      nextSigner: nextSigner({ finalizedAt, hash: record.hash, signatures }),
    };
  }

  /** The session, refused with 403 unless `userId` holds its committee's secretary seat. */
  private async sessionOfSecretary(sessionId: number, userId: number): Promise<CommitteeSession> {
    const session = await CommitteeSession.findByPk(sessionId);
    if (!session) throw notFound('session');
    if (!(await CommitteeSeat.findOne({ where: { committeeId: session.committeeId, userId, kind: 'secretary' } }))) {
      throw forbidden("only the committee's secretary writes the minutes");
    }
    return session;
  }

  /** The secretary's text (remarks, notes per item) on the draft; refused once finalized. */
  async editText(sessionId: number, actorId: number, edit: MinutesTextEdit): Promise<MinutesView> {
    await this.sessionOfSecretary(sessionId, actorId);
    const excluding = Object.keys(edit.excludeChat ?? {}).length > 0;
    // An exclusion may name a message written since the draft was last brought up to date.
    if (excluding || !(await MinutesRecord.findOne({ where: { sessionId } }))) await this.refreshDraft(sessionId);
    const record = await writeTransaction(this.sequelize, async (transaction) => {
      const record = (await MinutesRecord.findOne({ where: { sessionId }, transaction }))!;
      const result = editMinutes(contentOf(record), record.finalizedAt?.toISOString() ?? null, edit);
      if (!result.ok) throw result.code === 'immutable' ? immutable(record) : new AppError(result.code === 'conflict' ? 409 : 404, result.code, result.message);
      for (const [messageId, reason] of Object.entries(edit.excludeChat ?? {})) {
        await appendAudit(transaction, { actorId, action: 'minutes.chat_excluded', subject: `minutes:${record.id}`, payload: { sessionId, messageId: Number(messageId), reason } });
      }
      return record.update({ content: minutesCanonical(result.content) }, { transaction });
    });
    return this.viewOf(record);
  }

  /**
   * Finalizes the minutes of a closed session, by its secretary: the draft is brought up
   * to date with the records (attendance closed when the session ended), its hash fixed,
   * the Arabic and French PDFs fingerprinted (they render to the same bytes later, see
   * minutesPdf), and a `minutes.finalized` entry chained into the audit log, in one
   * transaction. The PDFs are rendered before it so the database is not held while pages
   * are laid out; a draft changed meanwhile is refused.
   */
  async finalize(sessionId: number, actorId: number, at = new Date()): Promise<MinutesView> {
    const session = await this.sessionOfSecretary(sessionId, actorId);
    const stored = await MinutesRecord.findOne({ where: { sessionId } });
    if (stored?.status === 'finalized') throw immutable(stored);
    if (session.status !== 'closed') throw new AppError(409, 'invalid_transition', 'the minutes are finalized once the session is closed', { status: session.status });
    // Nothing is printed (and signed) that the audit log does not vouch for.
    await checkSessionAgainstAudit(sessionId);
    const draft = await this.refreshDraft(sessionId);
    if (draft.status === 'finalized') throw immutable(draft);
    const content = contentOf(draft);
    const hash = minutesHash(content);
    const finalizedAt = at.toISOString();
    const pages = this.renderer ? await minutesPageImages(sessionId, this.store, this.renderer) : [];
    const [ar, fr] = await Promise.all([layoutMinutesPdf(content, 'ar', { finalizedAt, pages }), layoutMinutesPdf(content, 'fr', { finalizedAt, pages })]);
    // On disk before the record points at them; if the record never commits (refused, or a crash), the next start removes them.
    const pdfs = [await this.store.stage(ar.pdf), await this.store.stage(fr.pdf)];
    const record = await this.store.keepFor(pdfs, () => writeTransaction(this.sequelize, async (transaction) => {
      const record = await MinutesRecord.findByPk(draft.id, { transaction });
      if (!record || record.status === 'finalized') throw immutable(record ?? draft);
      if (record.content !== draft.content) throw new AppError(409, 'conflict', 'the minutes changed while being finalized; try again');
      await record.update({
        status: 'finalized', hash, pdfSha256Ar: sha256Hex(ar.pdf), pdfSha256Fr: sha256Hex(fr.pdf), finalizedAt: at, finalizedById: actorId,
        signatureSlots: JSON.stringify({ ar: ar.slots, fr: fr.slots }),
      }, { transaction });
      await appendAudit(transaction, {
        at, actorId, action: 'minutes.finalized', subject: `minutes:${record.id}`,
        payload: { sessionId, hash, pdfSha256: { ar: record.pdfSha256Ar, fr: record.pdfSha256Fr } },
      });
      return record;
    }));
    return this.viewOf(record);
  }

  /**
   * A finalized record's PDF in one language as it stands: after its last signature (the
   * finalized file with incremental updates appended), else the file fingerprinted at finalize.
   */
  async pdf(sessionId: number, language: MinutesLanguage): Promise<{ pdf: Buffer; content: MinutesContent }> {
    const record = await MinutesRecord.findOne({ where: { sessionId } });
    if (!record?.finalizedAt) throw notFound('finalized minutes');
    const pdf = await currentPdf(this.store, record, await MinutesSignature.findAll({ where: { minutesId: record.id }, order: [['id', 'ASC']] }), language);
    return { pdf, content: contentOf(record) };
  }

  /** The minutes of the principal's recently closed sessions, newest first, with where each stands. */
  async recentFor(principal: Principal, now = new Date()): Promise<MinutesListEntry[]> {
    const sessions = await recentClosedSessionsFor(principal, now);
    const records = await MinutesRecord.findAll({ where: { sessionId: { [Op.in]: sessions.map((s) => s.id) } }, include: [MinutesSignature] });
    return sessions.map((s) => {
      const record = records.find((r) => r.sessionId === s.id) as (MinutesRecord & { MinutesSignatures?: MinutesSignature[] }) | undefined;
      const committee = (s as CommitteeSession & { Committee?: Committee }).Committee!;
      return {
        sessionId: s.id, startsAt: s.startsAt.toISOString(), sessionStatus: s.status,
        committee: { nameAr: committee.nameAr, nameFr: committee.nameFr },
        status: record?.status ?? null,
        nextSigner: record ? nextSigner({ finalizedAt: record.finalizedAt?.toISOString() ?? null, hash: record.hash, signatures: record.MinutesSignatures ?? [] }) : null,
      };
    });
  }

  /** What the public page lists: each finalized session's opinions by dossier reference, newest first. */
  async publishedOpinions(): Promise<PublishedSessionOpinions[]> {
    const rows = await MinutesRecord.findAll({ where: { status: 'finalized' }, order: [['finalizedAt', 'DESC']], limit: 100 });
    return rows.map((r) => publishedOpinions(contentOf(r))).sort((a, b) => b.date.localeCompare(a.date));
  }
}
