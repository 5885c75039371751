import type { Sequelize } from 'sequelize';
import { Op } from 'sequelize';
import { Arrete, CommitteeOpinion, Dossier, Municipality, PermitDecision, User } from '../../db/models';
import { writeTransaction } from '../../db/transactions';
import type { ArreteAwaitingSignature, ArreteVerification, ArreteView, SignatureCheck } from '../../protocol/signing';
import { sha256Hex } from '../domain/auditChain';
import type { Principal } from '../domain/access';
import { permitValidity } from '../domain/permitValidity';
import { signatureState, type SignatureReport } from '../domain/signatureState';
import { AppError, conflict, forbidden, notFound } from '../errors';
import { appendAudit } from '../services/audit';
import type { DocumentStore } from '../services/documentStore';
import { renderArretePdf, type ArreteContent } from './arretePdf';
import { DOCUMENT_LANGUAGES, type DocumentLanguage, type DocumentSigner } from './DocumentSigner';
import type { SignatureSlot } from './pdfSigner';
import { withSigners } from './signers';
import { checkDocument, firstRevisionSha256 } from './verifyDocument';

/**
 * The arrêté of each recorded decision: issued in Arabic and French when the office records the
 * decision (from the record: dossier, applicant, the committee's opinion and the documents it
 * examined), then signed by the municipality's president (the chair of its committee) with
 * their password, a PAdES signature in both PDFs. The applicant downloads it as it stands.
 */
/** Who signs an arrêté, in order. */
export const ARRETE_SIGNERS = ['president'] as const;

export class Arretes {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly store: DocumentStore,
    private readonly signer: DocumentSigner,
  ) {}

  /** Issues the arrêté of a decision just recorded (its PDFs rendered and kept). */
  async issue(decision: PermitDecision): Promise<Arrete> {
    const dossier = (await Dossier.findByPk(decision.dossierId))!;
    const [municipality, applicant, opinion] = await Promise.all([
      Municipality.findByPk(dossier.municipalityId), User.findByPk(dossier.applicantId), CommitteeOpinion.findByPk(decision.opinionId),
    ]);
    const content: ArreteContent = {
      municipality: { nameAr: municipality!.nameAr, nameFr: municipality!.nameFr },
      reference: dossier.reference ?? '', applicant: { nameAr: applicant!.nameAr, nameFr: applicant!.nameFr },
      address: dossier.address, parcelRef: dossier.parcelRef,
      opinion: { opinion: opinion!.opinion, conditions: opinion!.conditions, reasons: opinion!.reasons, givenAt: opinion!.givenAt.toISOString(), documents: opinion!.documents },
      outcome: decision.outcome, arreteNumber: decision.arreteNumber, signedOn: decision.signedOn, notes: decision.notes ?? '',
    };
    const [ar, fr] = await Promise.all(DOCUMENT_LANGUAGES.map((l) => renderArretePdf(content, l)));
    await Promise.all([this.store.keepBytes(ar!.pdf), this.store.keepBytes(fr!.pdf)]);
    return writeTransaction(this.sequelize, (transaction) => Arrete.create({
      decisionId: decision.id, pdfSha256Ar: sha256Hex(ar!.pdf), pdfSha256Fr: sha256Hex(fr!.pdf), signatureSlots: JSON.stringify({ ar: ar!.slot, fr: fr!.slot }),
    }, { transaction }));
  }

  async #of(dossierId: number): Promise<{ arrete: Arrete; decision: PermitDecision; dossier: Dossier }> {
    const decision = await PermitDecision.findOne({ where: { dossierId } });
    const arrete = decision && (await Arrete.findOne({ where: { decisionId: decision.id } }));
    if (!decision || !arrete) throw notFound('arrêté');
    return { arrete, decision, dossier: (await Dossier.findByPk(dossierId))! };
  }

  async view(dossierId: number): Promise<ArreteView> {
    const { arrete, decision } = await this.#of(dossierId);
    const signer = arrete.signedById ? await User.findByPk(arrete.signedById) : null;
    return {
      decisionId: decision.id, outcome: decision.outcome, arreteNumber: decision.arreteNumber, signedOn: decision.signedOn,
      validity: decision.outcome === 'granted' ? permitValidity(decision.signedOn) : null,
      signed: !!arrete.signedAt, signedAt: arrete.signedAt?.toISOString() ?? null,
      signedBy: signer ? { nameAr: signer.nameAr, nameFr: signer.nameFr } : null,
      pdfSha256: { ar: arrete.signedPdfSha256Ar ?? arrete.pdfSha256Ar, fr: arrete.signedPdfSha256Fr ?? arrete.pdfSha256Fr },
    };
  }

  /** The arrêtés issued and not yet signed in the municipalities `principal` presides (chairs), oldest first. */
  static async awaitingSignature(principal: Principal): Promise<ArreteAwaitingSignature[]> {
    const municipalityIds = principal.memberships.filter((m) => m.role === 'chair').map((m) => m.municipalityId);
    if (!municipalityIds.length) return [];
    const rows = await Arrete.findAll({
      where: { signedAt: null },
      include: [{ model: PermitDecision, required: true, include: [{ model: Dossier, required: true, where: { municipalityId: municipalityIds }, include: [Municipality] }] }],
      order: [['id', 'ASC']],
    }) as (Arrete & { PermitDecision: PermitDecision & { Dossier: Dossier & { Municipality: Municipality } } })[];
    return rows.map((a) => {
      const { PermitDecision: decision } = a;
      const { Dossier: dossier } = decision;
      return {
        dossierId: dossier.id, reference: dossier.reference ?? String(dossier.id), arreteNumber: decision.arreteNumber, outcome: decision.outcome,
        signedOn: decision.signedOn, issuedAt: a.createdAt.toISOString(), municipality: { nameAr: dossier.Municipality.nameAr, nameFr: dossier.Municipality.nameFr },
      };
    });
  }

  /** The arrêté's PDF as it stands (signed once the president has signed), checked against its sha256. */
  async #current(arrete: Arrete, language: DocumentLanguage): Promise<Buffer> {
    const sha = language === 'ar' ? arrete.signedPdfSha256Ar ?? arrete.pdfSha256Ar : arrete.signedPdfSha256Fr ?? arrete.pdfSha256Fr;
    const pdf = await this.store.read(sha);
    if (!pdf || sha256Hex(pdf) !== sha) throw new AppError(500, 'internal', 'the stored arrêté is missing or damaged', { arreteId: arrete.id, language });
    return pdf;
  }

  async pdf(dossierId: number, language: DocumentLanguage): Promise<{ pdf: Buffer; reference: string }> {
    const { arrete, dossier } = await this.#of(dossierId);
    return { pdf: await this.#current(arrete, language), reference: dossier.reference ?? String(dossier.id) };
  }

  /** The president signs (`password` already checked): once; only the municipality's president. */
  async sign(dossierId: number, principal: Principal, password: string, at = new Date()): Promise<void> {
    const { arrete, dossier } = await this.#of(dossierId);
    if (!principal.memberships.some((m) => m.role === 'chair' && m.municipalityId === dossier.municipalityId)) {
      throw forbidden('only the municipality\'s president signs its arrêtés');
    }
    if (arrete.signedAt) throw conflict('the arrêté is already signed');
    const slots = JSON.parse(arrete.signatureSlots) as Record<DocumentLanguage, SignatureSlot>;
    const pdfs = await Promise.all(DOCUMENT_LANGUAGES.map((l) => this.#current(arrete, l)));
    const { pdfs: signed, certificateSha256, auditHead } = await this.signer.sign(pdfs, {
      signer: { userId: principal.userId, municipalityId: dossier.municipalityId }, password, signedAt: at, role: 'president',
      roleAr: 'رئيس البلدية', roleFr: 'le président de la commune', reason: `Arrêté ${dossier.reference} — قرار`,
      slots: DOCUMENT_LANGUAGES.map((l) => slots[l]),
    });
    await Promise.all(signed.map((pdf) => this.store.keepBytes(pdf)));
    await writeTransaction(this.sequelize, async (transaction) => {
      const now = await Arrete.findByPk(arrete.id, { transaction });
      if (now!.signedAt) throw conflict('the arrêté is already signed');
      await now!.update({ signedPdfSha256Ar: sha256Hex(signed[0]!), signedPdfSha256Fr: sha256Hex(signed[1]!), signedById: principal.userId, signedAt: at }, { transaction });
      await appendAudit(transaction, {
        at, actorId: principal.userId, action: 'arrete.signed', subject: `dossier:${dossierId}`,
        payload: { arreteId: arrete.id, pdfSha256: { ar: sha256Hex(signed[0]!), fr: sha256Hex(signed[1]!) }, certificateSha256, auditHead },
      });
    });
  }

  /** What a sha256 says without the file: an arrêté as issued or as signed, and the signature on record (not checked). */
  async verifyHash(hash: string): Promise<ArreteVerification | null> {
    const h = hash.trim().toLowerCase();
    const arrete = await Arrete.findOne({ where: { [Op.or]: [{ pdfSha256Ar: h }, { pdfSha256Fr: h }, { signedPdfSha256Ar: h }, { signedPdfSha256Fr: h }] } });
    if (!arrete) return null;
    const language = h === arrete.pdfSha256Ar || h === arrete.signedPdfSha256Ar ? 'ar' : 'fr';
    const signer = h === arrete.signedPdfSha256Ar || h === arrete.signedPdfSha256Fr ? await User.findByPk(arrete.signedById!) : null;
    const signatures: SignatureCheck[] = signer ? [{
      role: 'president', signer: signer.nameFr, name: signer.nameFr, issuer: null, signedAt: arrete.signedAt!.toISOString(), signedBy: { nameAr: signer.nameAr, nameFr: signer.nameFr },
      valid: true, coversRevision: true, issuedByMunicipality: false, certificateSha256: null, auditHead: null, timestamp: null,
    }] : [];
    const report = signatureState(ARRETE_SIGNERS, signatures.map((s) => ({ ...s, coversUpTo: 0 })), 0);
    return this.#recognised(arrete, report, language, signatures);
  }

  /** A PDF checked as any reader would: its first revision must be an arrêté as issued, then the president's signature over it. */
  async verifyPdf(pdf: Buffer): Promise<ArreteVerification | null> {
    const first = firstRevisionSha256(pdf);
    const arrete = await Arrete.findOne({ where: { [Op.or]: [{ pdfSha256Ar: first }, { pdfSha256Fr: first }] } });
    if (!arrete) return null;
    const record = await Arretes.#recordOf(arrete);
    const check = checkDocument(pdf, ARRETE_SIGNERS, await this.signer.authority.caCertificate(record.dossier.municipalityId));
    return this.#recognised(arrete, check, arrete.pdfSha256Ar === first ? 'ar' : 'fr', await withSigners(check.signatures), record);
  }

  static async #recordOf(arrete: Arrete): Promise<{ decision: PermitDecision; dossier: Dossier }> {
    const decision = (await PermitDecision.findByPk(arrete.decisionId))!;
    return { decision, dossier: (await Dossier.findByPk(decision.dossierId))! };
  }

  async #recognised(arrete: Arrete, report: SignatureReport, language: DocumentLanguage, signatures: SignatureCheck[], record?: { decision: PermitDecision; dossier: Dossier }): Promise<ArreteVerification> {
    const { decision, dossier } = record ?? (await Arretes.#recordOf(arrete));
    const m = (await Municipality.findByPk(dossier.municipalityId))!;
    return {
      recognised: true, kind: 'arrete', valid: report.state === 'signed', state: report.state, awaiting: report.awaiting ? 'president' : null,
      dossierId: dossier.id, reference: dossier.reference ?? String(dossier.id), arreteNumber: decision.arreteNumber, outcome: decision.outcome,
      signedOn: decision.signedOn, municipality: { code: m.code, nameAr: m.nameAr, nameFr: m.nameFr },
      matched: 'pdf', language, issuedSha256: language === 'ar' ? arrete.pdfSha256Ar : arrete.pdfSha256Fr, signatures,
    };
  }
}
