import type { Sequelize } from 'sequelize';
import { Op } from 'sequelize';
import { CommitteeSeat, CommitteeSession, MinutesRecord, MinutesSignature } from '../../db/models';
import type { MinutesContent, SignatureMethod, SignerRole } from '../../protocol/minutes';
import { sha256Hex } from '../domain/auditChain';
import {
  checkSignature, editMinutes, minutesCanonical, minutesHash, verifyMinutes,
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
        const message = {
          not_finalized: 'the minutes must be finalized before they are signed',
          complete: 'the minutes are already signed',
          waiting_for: `the ${check.reason === 'waiting_for' ? check.expected : ''} signs first`,
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
