import type { Sequelize } from 'sequelize';
import { Op } from 'sequelize';
import {
  AgendaItem, AttendanceInterval, Ballot, Committee, CommitteeSeat, CommitteeSession, DocumentVersion, Dossier, DossierDocument,
  DossierType, MinutesRecord, MinutesSignature, Municipality, Recusal, User, Vote,
} from '../../db/models';
import type { MinutesContent, MinutesItem, MinutesPerson, ShownDocument, SignatureMethod, SignerRole, VoteRecord } from '../../protocol/minutes';
import { sha256Hex } from '../domain/auditChain';
import { quorum } from '../domain/voting';
import {
  attendanceFrom, checkSignature, editMinutes, itemOpinion, minutesCanonical, minutesHash, verifyMinutes,
  type FinalizedMinutes, type MinutesTextEdit, type VerificationResult,
} from '../domain/minutes';
import { AppError, forbidden, notFound } from '../errors';
import { appendAudit } from './audit';
import { renderMinutesPdf } from './minutesPdf';
import { serialWriteTransaction } from './serialWrites';

const immutable = (record: MinutesRecord) =>
  new AppError(409, 'immutable', 'the minutes are finalized and can no longer change', { finalizedAt: record.finalizedAt });

const contentOf = (record: MinutesRecord) => JSON.parse(record.content) as MinutesContent;

/**
 * The minutes records of sessions: drafts filled from the session and edited by the
 * secretary, finalized once (hashed into the audit chain, PDFs fingerprinted), then
 * signed by the secretary and the chair in that order.
 */
export class MinutesService {
  constructor(private readonly sequelize: Sequelize) {}

  /**
   * The minutes as the records say the session went: attendance from the presence
   * intervals, and per agenda item its recusals, its closed votes with named ballots, and
   * the document versions shown (those current when the item's first vote opened, or at
   * assembly when it had none). The secretary's text is taken from the stored draft.
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
    const draft = await MinutesRecord.findOne({ where: { sessionId } });
    const previous = draft ? contentOf(draft) : null;
    const votingSeats = seats.map((s) => ({ userId: s.userId, kind: s.kind, vetoHolder: s.vetoHolder }));

    const items: MinutesItem[] = [];
    const agenda = await AgendaItem.findAll({ where: { sessionId }, order: [['position', 'ASC']], include: [{ model: Dossier, include: [DossierType] }] });
    for (const item of agenda) {
      const dossier = item.Dossier!;
      const votes = await Vote.findAll({ where: { agendaItemId: item.id, status: 'closed' }, order: [['openedAt', 'ASC'], ['id', 'ASC']] });
      const records: VoteRecord[] = [];
      for (const v of votes) {
        const ballots = await Ballot.findAll({ where: { voteId: v.id }, order: [['id', 'ASC']] });
        records.push({
          question: v.question, openedAt: v.openedAt.toISOString(), closedAt: v.closedAt!.toISOString(),
          quorumAtOpen: v.quorumAtOpen, quorumAtClose: v.quorumAtClose!, tally: v.tally!, outcome: v.outcome!,
          ballots: ballots.map((b) => ({ ...named(b.userId), choice: b.choice })),
        });
      }
      const shownAt = votes[0]?.openedAt ?? new Date();
      const documents: ShownDocument[] = [];
      for (const d of await DossierDocument.findAll({ where: { dossierId: dossier.id }, order: [['id', 'ASC']] })) {
        const version = await DocumentVersion.findOne({ where: { documentId: d.id, createdAt: { [Op.lte]: shownAt } }, order: [['version', 'DESC']] });
        if (version) documents.push({ itemCode: d.itemCode, fileName: version.fileName, version: version.version, sha256: version.sha256 });
      }
      const lastValid = [...votes].reverse().find((v) => v.outcome?.valid);
      const before = previous?.items.find((i) => i.position === item.position);
      items.push({
        position: item.position, dossierReference: dossier.reference ?? '', address: dossier.address,
        dossierTypeAr: dossier.DossierType?.nameAr ?? '', dossierTypeFr: dossier.DossierType?.nameFr ?? '',
        documents,
        recusals: (await Recusal.findAll({ where: { agendaItemId: item.id }, order: [['at', 'ASC']] })).map((r) => ({ ...named(r.userId), reason: r.reason })),
        votes: records, opinion: itemOpinion(records),
        conditions: lastValid?.outcome?.valid && lastValid.outcome.opinion === 'favourable_with_conditions' ? lastValid.conditions : '',
        reasons: before?.reasons ?? '', notes: before?.notes ?? '',
      });
    }
    return {
      format: 1,
      municipality: { code: municipality.code, nameAr: municipality.nameAr, nameFr: municipality.nameFr },
      committee: { id: committee.id, nameAr: committee.nameAr, nameFr: committee.nameFr, rules: committee.rules },
      session: { id: session.id, startsAt: session.startsAt.toISOString(), mode: session.mode, location: session.location },
      date: new Intl.DateTimeFormat('en-CA', { timeZone: 'Africa/Tunis' }).format(session.startsAt),
      attendance: attendanceFrom(people, intervals.map((i) => ({ userId: i.userId, joinedAt: i.joinedAt, leftAt: i.leftAt, mode: i.mode }))),
      quorum: quorum(committee.rules, votingSeats, [...new Set(intervals.map((i) => i.userId))]),
      items,
      remarks: previous?.remarks ?? '',
    };
  }

  /** Re-assembles the draft from the records, keeping the secretary's text. */
  async refreshDraft(sessionId: number): Promise<MinutesContent> {
    const content = await this.assemble(sessionId);
    await this.saveDraft(sessionId, content);
    return content;
  }

  /** Stores the assembled draft of a session (replacing the previous draft); refused once finalized. */
  async saveDraft(sessionId: number, content: MinutesContent): Promise<MinutesRecord> {
    return serialWriteTransaction(this.sequelize, async (transaction) => {
      const record = await MinutesRecord.findOne({ where: { sessionId }, transaction });
      if (record?.status === 'finalized') throw immutable(record);
      if (record) return record.update({ content: minutesCanonical(content) }, { transaction });
      if (!(await CommitteeSession.findByPk(sessionId, { transaction }))) throw notFound('session');
      return MinutesRecord.create({ sessionId, content: minutesCanonical(content) }, { transaction });
    });
  }

  /** The secretary's text (remarks, notes per item) on the draft. */
  async editText(sessionId: number, edit: MinutesTextEdit): Promise<MinutesContent> {
    return serialWriteTransaction(this.sequelize, async (transaction) => {
      const record = await MinutesRecord.findOne({ where: { sessionId }, transaction });
      if (!record) throw notFound('minutes');
      const result = editMinutes(contentOf(record), record.finalizedAt?.toISOString() ?? null, edit);
      if (!result.ok) throw result.code === 'immutable' ? immutable(record) : notFound('agenda item');
      await record.update({ content: minutesCanonical(result.content) }, { transaction });
      return result.content;
    });
  }

  /**
   * Finalizes the draft: fixes its hash, fingerprints the Arabic and French PDFs (they
   * render to the same bytes later, see minutesPdf), and chains a `minutes.finalized`
   * audit entry, all in one transaction. The PDFs are rendered before the transaction so
   * the database is not held while pages are laid out; a draft changed meanwhile is refused.
   */
  async finalize(sessionId: number, actorId: number, at = new Date()): Promise<MinutesRecord> {
    const draft = await MinutesRecord.findOne({ where: { sessionId } });
    if (!draft) throw notFound('minutes');
    if (draft.status === 'finalized') throw immutable(draft);
    const content = contentOf(draft);
    const hash = minutesHash(content);
    const finalizedAt = at.toISOString();
    const [ar, fr] = await Promise.all([renderMinutesPdf(content, 'ar', { finalizedAt }), renderMinutesPdf(content, 'fr', { finalizedAt })]);
    return serialWriteTransaction(this.sequelize, async (transaction) => {
      const record = await MinutesRecord.findByPk(draft.id, { transaction });
      if (!record || record.status === 'finalized') throw immutable(record ?? draft);
      if (record.content !== draft.content) throw new AppError(409, 'conflict', 'the minutes changed while being finalized; try again');
      await record.update({
        status: 'finalized', hash, pdfSha256Ar: sha256Hex(ar), pdfSha256Fr: sha256Hex(fr), finalizedAt: at, finalizedById: actorId,
      }, { transaction });
      await appendAudit(transaction, {
        at, actorId, action: 'minutes.finalized', subject: `minutes:${record.id}`,
        payload: { sessionId, hash, pdfSha256: { ar: record.pdfSha256Ar, fr: record.pdfSha256Fr } },
      });
      return record;
    });
  }

  /** A finalized record's PDF in one language: the bytes its fingerprint was taken of. */
  async pdf(sessionId: number, language: 'ar' | 'fr'): Promise<Buffer> {
    const record = await MinutesRecord.findOne({ where: { sessionId } });
    if (!record?.finalizedAt) throw notFound('finalized minutes');
    return renderMinutesPdf(contentOf(record), language, { finalizedAt: record.finalizedAt.toISOString() });
  }

  /** Records `userId`'s signature as `role` on the finalized hash: secretary first, then chair. */
  async sign(sessionId: number, userId: number, role: SignerRole, hash: string, method: SignatureMethod = 'session', value: string | null = null, at = new Date()): Promise<MinutesSignature> {
    return serialWriteTransaction(this.sequelize, async (transaction) => {
      const record = await MinutesRecord.findOne({ where: { sessionId }, include: [CommitteeSession], transaction });
      if (!record) throw notFound('minutes');
      const session = (record as MinutesRecord & { CommitteeSession?: CommitteeSession }).CommitteeSession!;
      const seat = await CommitteeSeat.findOne({ where: { committeeId: session.committeeId, userId, kind: role }, transaction });
      if (!seat) throw forbidden(`only the committee's ${role} signs as ${role}`);
      const signatures = await MinutesSignature.findAll({ where: { minutesId: record.id }, transaction });
      const check = checkSignature({ finalizedAt: record.finalizedAt?.toISOString() ?? null, hash: record.hash, signatures }, role, hash);
      if (!check.ok) {
        const message = check.reason === 'waiting_for' ? `the ${check.expected} signs first` : {
          not_finalized: 'the minutes must be finalized before they are signed',
          complete: 'the minutes are already signed',
          hash_mismatch: 'the hash signed is not the finalized one',
          already_signed: `the ${role} has already signed`,
        }[check.reason];
        throw new AppError(409, check.code, message, check);
      }
      const signature = await MinutesSignature.create({ minutesId: record.id, userId, role, signedAt: at, minutesHash: hash, method, value }, { transaction });
      await appendAudit(transaction, { at, actorId: userId, action: 'minutes.signed', subject: `minutes:${record.id}`, payload: { role, hash, method } });
      return signature;
    });
  }

  /** Whether a hash (printed content hash, or a PDF's sha256) matches a finalized record. */
  async verifyHash(hash: string): Promise<VerificationResult> {
    const h = hash.trim().toLowerCase();
    const rows = await MinutesRecord.findAll({
      where: { status: 'finalized', [Op.or]: [{ hash: h }, { pdfSha256Ar: h }, { pdfSha256Fr: h }] },
    });
    const records: FinalizedMinutes[] = rows.map((r) => ({
      minutesId: r.id, sessionId: r.sessionId, hash: r.hash!, finalizedAt: r.finalizedAt!.toISOString(),
      pdfSha256: { ...(r.pdfSha256Ar ? { ar: r.pdfSha256Ar } : {}), ...(r.pdfSha256Fr ? { fr: r.pdfSha256Fr } : {}) },
    }));
    return verifyMinutes(records, h);
  }

  /** The same for an uploaded PDF. */
  verifyPdf(pdf: Uint8Array): Promise<VerificationResult> {
    return this.verifyHash(sha256Hex(pdf));
  }
}
