import type { Sequelize, Transaction } from 'sequelize';
import { Op } from 'sequelize';
import { CommitteeSeat, CommitteeSession, Committee, MinutesRecord, MinutesSignature, User } from '../../db/models';
import { writeTransaction } from '../../db/transactions';
import type { MinutesContent, MinutesVerification, PadesEvidence, SignerRole } from '../../protocol/minutes';
import type { SignatureCheck } from '../../protocol/signing';
import { sha256Hex } from '../domain/auditChain';
import { checkSignature, SIGNING_ORDER, verifyMinutes, type SigningState } from '../domain/minutes';
import { signatureState } from '../domain/signatureState';
import { AppError, forbidden, notFound } from '../errors';
import { appendAudit } from '../services/audit';
import type { DocumentStore } from '../services/documentStore';
import { DOCUMENT_LANGUAGES, type DocumentLanguage, type DocumentSigner } from './DocumentSigner';
import type { SignatureSlot } from './pdfSigner';
import { withSigners } from './signers';
import { checkDocument, firstRevisionSha256 } from './verifyDocument';

type Slots = Record<DocumentLanguage, Record<SignerRole, SignatureSlot>>;

const contentOf = (record: MinutesRecord) => JSON.parse(record.content) as MinutesContent;
const evidenceOf = (s: MinutesSignature) => (s.method === 'pades' && s.value ? (JSON.parse(s.value) as PadesEvidence) : null);
const ROLE_WORDS = { secretary: { fr: 'la secrétaire', ar: 'الكاتب' }, chair: { fr: 'le président', ar: 'الرئيس' } } as const;

/** The minutes PDF as it stands in `language`: after its last PAdES signature, else as finalized; checked against its sha256. */
export async function currentPdf(store: DocumentStore, record: MinutesRecord, signatures: readonly MinutesSignature[], language: DocumentLanguage): Promise<Buffer> {
  const last = [...signatures].reverse().map(evidenceOf).find(Boolean);
  const sha = last?.pdfSha256[language] ?? (language === 'ar' ? record.pdfSha256Ar! : record.pdfSha256Fr!);
  const pdf = await store.read(sha);
  if (!pdf || sha256Hex(pdf) !== sha) throw new AppError(500, 'internal', 'the stored PDF of these minutes is missing or damaged', { minutesId: record.id, language });
  return pdf;
}

/**
 * Signing the finalized minutes for real and verifying copies of them. The secretary, then
 * the chair, each having typed their password again (checked by the route), signs both
 * PDFs: a PAdES signature appended as an incremental update to the PDF as it stands, in the
 * signer's box at its end. The signed files are kept in the document store and the record
 * of the signature points at them, so a download is always the latest signed revision.
 */
export class MinutesSigning {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly store: DocumentStore,
    private readonly signer: DocumentSigner,
  ) {}

  async #state(sessionId: number, userId: number, role: SignerRole, transaction?: Transaction) {
    const session = await CommitteeSession.findByPk(sessionId, { transaction });
    if (!session) throw notFound('session');
    const seat = await CommitteeSeat.findOne({ where: { committeeId: session.committeeId, userId, kind: role }, transaction });
    if (!seat) throw forbidden(`only the committee's ${role} signs as ${role}`);
    const record = await MinutesRecord.findOne({ where: { sessionId }, transaction });
    const signatures = record ? await MinutesSignature.findAll({ where: { minutesId: record.id }, order: [['id', 'ASC']], transaction }) : [];
    return { session, record, signatures };
  }

  static refuse(state: SigningState, role: SignerRole, hash: string): void {
    const check = checkSignature(state, role, hash);
    if (check.ok) return;
    const message = check.reason === 'waiting_for' ? `the ${check.expected} signs first` : {
      not_finalized: 'the minutes must be finalized before they are signed',
      complete: 'the minutes are already signed',
      hash_mismatch: 'the hash signed is not the finalized one',
      already_signed: `the ${role} has already signed`,
    }[check.reason];
    throw new AppError(409, check.code, message, check);
  }

  /**
   * Signs the minutes of `sessionId` as `role` with `password` (already checked against the
   * account): refused, changing nothing, unless it is this role's turn on the finalized hash.
   */
  async sign(sessionId: number, userId: number, role: SignerRole, hash: string, password: string, at = new Date()): Promise<void> {
    const before = await this.#state(sessionId, userId, role);
    const stateOf = (s: typeof before): SigningState => ({ finalizedAt: s.record?.finalizedAt?.toISOString() ?? null, hash: s.record?.hash ?? null, signatures: s.signatures });
    MinutesSigning.refuse(stateOf(before), role, hash);
    const record = before.record!;
    const slots = JSON.parse(record.signatureSlots ?? 'null') as Slots | null;
    if (!slots) throw new AppError(409, 'invalid_transition', 'these minutes were finalized before PDFs were signed; they cannot carry a signature');
    const committee = (await Committee.findByPk(before.session.committeeId))!;
    const pdfs = await Promise.all(DOCUMENT_LANGUAGES.map((language) => currentPdf(this.store, record, before.signatures, language)));
    const { pdfs: signed, certificateSha256, auditHead } = await this.signer.sign(pdfs, {
      signer: { userId, municipalityId: committee.municipalityId }, password, signedAt: at, role, roleAr: ROLE_WORDS[role].ar, roleFr: ROLE_WORDS[role].fr,
      reason: `Procès-verbal de la séance du ${contentOf(record).date}, signé par ${ROLE_WORDS[role].fr} — إمضاء ${ROLE_WORDS[role].ar} على المحضر`,
      slots: DOCUMENT_LANGUAGES.map((language) => slots[language][role]),
    });
    await Promise.all(signed.map((pdf) => this.store.keepBytes(pdf)));
    const evidence: PadesEvidence = { pdfSha256: { ar: sha256Hex(signed[0]!), fr: sha256Hex(signed[1]!) }, certificateSha256, auditHead };
    await writeTransaction(this.sequelize, async (transaction) => {
      const now = await this.#state(sessionId, userId, role, transaction);
      MinutesSigning.refuse(stateOf(now), role, hash);
      // Signed on the revision that was current when signing began: a signature in between would fork the file.
      if (now.signatures.length !== before.signatures.length) throw new AppError(409, 'conflict', 'the minutes were signed meanwhile; try again');
      await MinutesSignature.create({ minutesId: record.id, userId, role, signedAt: at, minutesHash: hash, method: 'pades', value: JSON.stringify(evidence) }, { transaction });
      await appendAudit(transaction, { at, actorId: userId, action: 'minutes.signed', subject: `minutes:${record.id}`, payload: { role, hash, method: 'pades', ...evidence } });
    });
  }

  /** What a printed hash or a PDF's sha256 says, without the file: the record it belongs to and where its signing stands. */
  async verifyHash(hash: string): Promise<MinutesVerification> {
    const h = hash.trim().toLowerCase();
    const direct = await MinutesRecord.findAll({ where: { status: 'finalized', [Op.or]: [{ hash: h }, { pdfSha256Ar: h }, { pdfSha256Fr: h }] } });
    const signedRevision = /^[0-9a-f]{64}$/.test(h) ? await MinutesSignature.findOne({ where: { method: 'pades', value: { [Op.like]: `%${h}%` } } }) : null;
    const records = direct.length ? direct : signedRevision ? [(await MinutesRecord.findByPk(signedRevision.minutesId))!] : [];
    const record = records[0];
    if (!record) return { recognised: false, valid: false, state: null, signatures: [] };
    const signatures = await MinutesSignature.findAll({ where: { minutesId: record.id }, include: [User], order: [['id', 'ASC']] }) as (MinutesSignature & { User?: User })[];
    const match = verifyMinutes([{ minutesId: record.id, sessionId: record.sessionId, hash: record.hash!, finalizedAt: record.finalizedAt!.toISOString(), pdfSha256: { ar: record.pdfSha256Ar!, fr: record.pdfSha256Fr! } }], h);
    // How many signatures the file with this hash carries: none for the finalized PDF, all recorded for the content hash.
    let carried = signatures.length;
    let language: DocumentLanguage | undefined = match.valid ? match.language : undefined;
    if (!match.valid || match.matched === 'pdf') {
      const index = signatures.findIndex((s) => DOCUMENT_LANGUAGES.some((l) => evidenceOf(s)?.pdfSha256[l] === h));
      carried = index + 1;
      language ??= DOCUMENT_LANGUAGES.find((l) => evidenceOf(signatures[index]!)?.pdfSha256[l] === h);
    }
    const on = signatures.slice(0, carried);
    const report = signatureState(SIGNING_ORDER, on.map((s) => ({ role: s.role, valid: true, coversRevision: true, coversUpTo: 0 })), 0);
    return this.#recognised(record, report, match.valid && match.matched === 'content_hash' ? 'content_hash' : 'pdf', language, on.map((s) => ({
      role: s.role, signer: s.User?.nameFr ?? null, name: s.User?.nameFr ?? null, issuer: null, signedAt: s.signedAt.toISOString(),
      signedBy: s.User ? { nameAr: s.User.nameAr, nameFr: s.User.nameFr } : null,
      valid: s.method === 'pades', coversRevision: s.method === 'pades', issuedByMunicipality: false, certificateSha256: evidenceOf(s)?.certificateSha256 ?? null,
      auditHead: evidenceOf(s)?.auditHead ?? null, timestamp: null,
    })));
  }

  /** A PDF checked as any reader would: its first revision must be finalized minutes, then each signature over its revision. */
  async verifyPdf(pdf: Buffer, caOf: (municipalityCode: string) => Promise<string | null>): Promise<MinutesVerification> {
    const first = firstRevisionSha256(pdf);
    const record = await MinutesRecord.findOne({ where: { status: 'finalized', [Op.or]: [{ pdfSha256Ar: first }, { pdfSha256Fr: first }] } });
    const check = checkDocument(pdf, SIGNING_ORDER, record ? await caOf(contentOf(record).municipality.code) : null);
    if (!record) return { recognised: false, valid: false, state: check.signatures.length ? check.state : null, signatures: check.signatures };
    return this.#recognised(record, check, 'pdf', record.pdfSha256Ar === first ? 'ar' : 'fr', await withSigners(check.signatures));
  }

  #recognised(record: MinutesRecord, report: { state: MinutesVerification['state'] & string; awaiting: string | null }, matched: 'content_hash' | 'pdf', language: DocumentLanguage | undefined, signatures: SignatureCheck[]): MinutesVerification {
    const { date, municipality } = contentOf(record);
    return {
      recognised: true, kind: 'minutes', valid: report.state === 'signed', state: report.state, awaiting: report.awaiting as SignerRole | null,
      minutesId: record.id, sessionId: record.sessionId, finalizedAt: record.finalizedAt!.toISOString(), contentHash: record.hash!,
      matched, ...(language ? { language } : {}), date, municipality, signatures,
    };
  }
}
