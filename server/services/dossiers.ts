import { Op, type Transaction } from 'sequelize';
import {
  AgendaItem, ChecklistItem, CommitteeOpinion, CommitteeSession, Dossier, DossierDocument, DossierEvent, DossierMessage, DossierType,
  DocumentVersion, Municipality, PermitDecision, ReferenceCounter, User, Vote,
} from '../../db/models';
import { forUpdate, writeTransaction } from '../../db/transactions';
import type {
  ChecklistItemView, CreateDossierBody, DeadlineView, DossierEventDetails, DocumentVersionDetail, DossierAction, DossierDocumentView, DossierEventView, DossierListRow,
  DossierStatus, DossierTypeName, DossierTypeView, DossierView, DossierViewer, DocumentVersionView, PersonName,
} from '../../protocol/dossiers';
import type { OpinionView } from '../../protocol/opinions';
import { hasRole, municipalitiesWithRole, type Principal } from '../domain/access';
import { clockSpans, deadline, legalDays } from '../domain/deadlines';
import { applicantMayEdit, transition, type DossierActor } from '../domain/dossierLifecycle';
import { formatReference } from '../domain/reference';
import { AppError, conflict, forbidden, notFound } from '../errors';
import type { DocumentStore, ReceivedFile } from './documentStore';
import type { PdfInspection } from './pdfInspection';

/** The lifecycle actor a viewer acts as; committee members take no intake steps. */
export const actorOf = (viewer: DossierViewer): DossierActor | null => (viewer === 'committee' ? null : viewer);

/** Items required for this dossier: every item of its type, except area-dependent ones below their threshold. */
export function isRequired(item: ChecklistItem, coveredAreaM2: number): boolean {
  return item.requiredAboveAreaM2 === null || coveredAreaM2 > item.requiredAboveAreaM2;
}

export async function createDossier(principal: Principal, body: CreateDossierBody): Promise<Dossier> {
  if (!hasRole(principal, ['applicant'], body.municipalityId)) throw forbidden('only applicants of this municipality may create a dossier');
  const type = await DossierType.findOne({ where: { municipalityId: body.municipalityId, code: body.typeCode } });
  if (!type) throw new AppError(400, 'invalid_payload', 'unknown dossier type for this municipality', [{ path: 'typeCode', message: 'unknown' }]);
  return writeTransaction(Dossier.sequelize!, async (transaction) => {
    const dossier = await Dossier.create({
      municipalityId: body.municipalityId, applicantId: principal.userId, dossierTypeId: type.id,
      address: body.location.address, parcelRef: body.location.parcelRef, lat: body.location.lat ?? null, lng: body.location.lng ?? null,
      coveredAreaM2: body.coveredAreaM2, levels: body.levels, nearProtectedSite: body.nearProtectedSite, localPlanInDrafting: body.localPlanInDrafting,
    }, { transaction });
    await DossierEvent.create({ dossierId: dossier.id, action: 'create', fromStatus: null, toStatus: 'draft', actorId: principal.userId, at: new Date() }, { transaction });
    return dossier;
  });
}

export async function updateDraft(dossier: Dossier, viewer: DossierViewer, body: Partial<CreateDossierBody>): Promise<void> {
  if (viewer !== 'applicant') throw forbidden('only the applicant edits a dossier');
  if (!applicantMayEdit(dossier.status)) throw new AppError(409, 'invalid_transition', `a ${dossier.status} dossier cannot be edited`);
  const patch: Partial<Dossier> = {};
  if (body.typeCode !== undefined) {
    const type = await DossierType.findOne({ where: { municipalityId: dossier.municipalityId, code: body.typeCode } });
    if (!type) throw new AppError(400, 'invalid_payload', 'unknown dossier type', [{ path: 'typeCode', message: 'unknown' }]);
    patch.dossierTypeId = type.id;
  }
  if (body.location) Object.assign(patch, { address: body.location.address, parcelRef: body.location.parcelRef, lat: body.location.lat ?? null, lng: body.location.lng ?? null });
  for (const k of ['coveredAreaM2', 'levels', 'nearProtectedSite', 'localPlanInDrafting'] as const) {
    if (body[k] !== undefined) Object.assign(patch, { [k]: body[k] });
  }
  await writeTransaction(Dossier.sequelize!, async (transaction) => {
    // The status read under the write lock: a draft submitted meanwhile is no longer edited.
    const current = await Dossier.findByPk(dossier.id, forUpdate(transaction));
    if (!current || !applicantMayEdit(current.status)) throw new AppError(409, 'invalid_transition', `a ${current?.status} dossier cannot be edited`);
    await current.update(patch, { transaction });
  });
  await dossier.reload();
}

interface TransitionInput {
  action: DossierAction;
  /** The status reached, for a step with several (the committee's opinion, the permit decision). */
  outcome?: DossierStatus;
  note?: string;
  details?: DossierEventDetails;
  /** Extra writes in the same transaction (agenda rows, notifications). */
  also?: (dossier: Dossier, t: Transaction) => Promise<void>;
}

/**
 * Takes one lifecycle step: re-reads the dossier under the write lock, asks the domain
 * table whether the actor may, writes the new status and the timeline event together.
 */
export async function applyTransition(principal: Principal, dossierId: number, actor: DossierActor, input: TransitionInput): Promise<Dossier> {
  return writeTransaction(Dossier.sequelize!, (transaction) => transitionIn(transaction, principal, dossierId, actor, input));
}

/** The same step inside the caller's write transaction (e.g. one agenda change scheduling several dossiers); only the actor's user id is needed. */
export async function transitionIn(transaction: Transaction, principal: Pick<Principal, 'userId'>, dossierId: number, actor: DossierActor, input: TransitionInput): Promise<Dossier> {
  const dossier = await Dossier.findByPk(dossierId, forUpdate(transaction));
  if (!dossier) throw notFound('dossier');
  const result = transition(dossier.status, input.action, actor, input.outcome);
  if (!result.ok) {
    if (result.reason === 'wrong_actor') throw forbidden(`${input.action} is not yours to do`);
    throw new AppError(409, 'invalid_transition', `cannot ${input.action} a ${dossier.status} dossier`, { dossierId, status: dossier.status });
  }
  if (input.action === 'submit' || input.action === 'resubmit') await assertDocumentsPresent(dossier, transaction);
  const from = dossier.status;
  const patch: Partial<Dossier> = { status: result.to };
  if (input.action === 'submit' && !dossier.reference) patch.reference = await nextReference(dossier.municipalityId, transaction);
  await dossier.update(patch, { transaction });
  await DossierEvent.create({ dossierId: dossier.id, action: input.action, fromStatus: from, toStatus: result.to, note: input.note ?? '', details: input.details ?? null, actorId: principal.userId, at: new Date() }, { transaction });
  await input.also?.(dossier, transaction);
  return dossier;
}

/**
 * The applicant withdraws the dossier: it leaves the agenda of sessions still to come. Not
 * while the committee is voting on it (the vote would be left without its dossier); the
 * check runs under the write lock, so a vote cannot open in between.
 */
export async function withdrawDossier(principal: Principal, dossierId: number, actor: DossierActor, note: string): Promise<Dossier> {
  return applyTransition(principal, dossierId, actor, {
    action: 'withdraw', note,
    also: async (d, transaction) => {
      const items = await AgendaItem.findAll({ where: { dossierId: d.id }, include: [CommitteeSession], transaction });
      const voting = await Vote.count({ where: { agendaItemId: items.map((i) => i.id), status: 'open' }, transaction });
      if (voting > 0) throw conflict('the committee is voting on this dossier; it can be withdrawn once the vote is closed');
      for (const item of items) if (item.CommitteeSession!.status === 'planned') await item.destroy({ transaction });
    },
  });
}

async function assertDocumentsPresent(dossier: Dossier, transaction: Transaction): Promise<void> {
  const items = await ChecklistItem.findAll({ where: { dossierTypeId: dossier.dossierTypeId }, order: [['position', 'ASC']], transaction });
  const present = new Set((await DossierDocument.findAll({ where: { dossierId: dossier.id }, transaction })).map((d) => d.itemCode));
  const missing = items.filter((i) => isRequired(i, dossier.coveredAreaM2) && !present.has(i.code)).map((i) => i.code);
  if (missing.length) throw new AppError(409, 'conflict', 'required documents are missing', { missing });
}

/** Bumps the municipality's counter for this year inside the caller's transaction; the unique key on `reference` guards the rest. */
async function nextReference(municipalityId: number, transaction: Transaction): Promise<string> {
  const year = new Date().getFullYear();
  const municipality = await Municipality.findByPk(municipalityId, { transaction });
  const [affected] = await ReferenceCounter.update({ last: ReferenceCounter.sequelize!.literal('last + 1') as unknown as number }, { where: { municipalityId, year }, transaction });
  if (affected === 0) await ReferenceCounter.create({ municipalityId, year, last: 1 }, { transaction });
  const counter = await ReferenceCounter.findOne({ where: { municipalityId, year }, transaction });
  return formatReference(municipality!.code, year, counter!.last);
}

/** Stores an uploaded PDF as the next version of the dossier's document for `itemCode`. */
export async function addDocumentVersion(
  principal: Principal, dossier: Dossier, viewer: DossierViewer, itemCode: string, file: ReceivedFile, store: DocumentStore, inspection: PdfInspection,
): Promise<DocumentVersion> {
  try {
    if (viewer !== 'applicant') throw forbidden('only the applicant uploads documents');
    if (!applicantMayEdit(dossier.status)) throw new AppError(409, 'invalid_transition', `documents cannot be changed while the dossier is ${dossier.status}`);
    const item = await ChecklistItem.findOne({ where: { dossierTypeId: dossier.dossierTypeId, code: itemCode } });
    if (!item) throw notFound('checklist item');
    const { pageCount } = await inspection.inspect(file.tempPath, file.size);
    return await store.keepFor([file], ([storagePath]) => writeTransaction(Dossier.sequelize!, async (transaction) => {
      // The status as it is now, under the write lock: an upload that finishes after the dossier was submitted is refused.
      const current = await Dossier.findByPk(dossier.id, forUpdate(transaction));
      if (!current || !applicantMayEdit(current.status)) {
        throw new AppError(409, 'invalid_transition', `documents cannot be changed while the dossier is ${current?.status}`, { status: current?.status });
      }
      const [document] = await DossierDocument.findOrCreate({ where: { dossierId: dossier.id, itemCode }, transaction });
      const last = (await DocumentVersion.max('version', { where: { documentId: document.id }, transaction })) as number | null;
      return DocumentVersion.create({
        documentId: document.id, version: (last ?? 0) + 1, sha256: file.sha256, size: file.size, pageCount,
        fileName: file.fileName, storagePath: storagePath!, uploadedById: principal.userId,
      }, { transaction });
    }));
  } finally {
    // Nothing kept on failure; once kept, the temporary file is already gone.
    await store.discard(file);
  }
}

const versionView = (v: DocumentVersion): DocumentVersionView => ({
  id: v.id, version: v.version, sha256: v.sha256, size: Number(v.size), pageCount: v.pageCount, fileName: v.fileName, createdAt: v.createdAt.toISOString(),
});

/** A version with its document, dossier and checklist item. */
export const versionDetail = (v: DocumentVersion, dossierId: number, itemCode: string): DocumentVersionDetail => ({
  ...versionView(v), documentId: v.documentId, dossierId, itemCode,
});

/** The dossier types of a municipality with their checklists, in order (the applicant's form). */
export async function dossierTypes(municipalityId: number): Promise<DossierTypeView[]> {
  const types = await DossierType.findAll({
    where: { municipalityId }, include: [ChecklistItem], order: [['position', 'ASC'], [ChecklistItem, 'position', 'ASC']],
  });
  return types.map((t) => ({
    ...typeName(t),
    checklist: (t.ChecklistItems ?? []).map((i) => ({ code: i.code, labelAr: i.labelAr, labelFr: i.labelFr, labelEn: i.labelEn, requiredAboveAreaM2: i.requiredAboveAreaM2 })),
  }));
}

export const typeName = (t: DossierType): DossierTypeName => ({ code: t.code, nameAr: t.nameAr, nameFr: t.nameFr, nameEn: t.nameEn });
export const personName = (u: User): PersonName => ({ id: u.id, nameAr: u.nameAr, nameFr: u.nameFr });
/** The municipality as a dossier's or a case's page names it. */
export const municipalityName = (m: Municipality): DossierView['municipality'] => ({ id: m.id, code: m.code, nameAr: m.nameAr, nameFr: m.nameFr });

/** Applicant: their dossiers. Office: the queue of its municipalities (not drafts), most urgent first. */
export async function dossierList(principal: Principal, status?: DossierStatus): Promise<DossierListRow[]> {
  const offices = municipalitiesWithRole(principal, ['secretary']);
  const where = offices.length
    ? { municipalityId: { [Op.in]: offices }, status: status ?? { [Op.ne]: 'draft' } }
    : { applicantId: principal.userId, ...(status ? { status } : {}) };
  const dossiers = await Dossier.findAll({
    where, include: [DossierType, { model: User, as: 'applicant', attributes: ['id', 'nameAr', 'nameFr'] }], order: [['updatedAt', 'DESC']],
  });
  const deadlines = await deadlinesOf(dossiers);
  const rows = dossiers.map((d): DossierListRow => ({
    id: d.id, reference: d.reference, status: d.status, address: d.address, parcelRef: d.parcelRef, type: typeName(d.DossierType!),
    applicant: personName((d as Dossier & { applicant: User }).applicant), deadline: deadlines.get(d.id)!, updatedAt: d.updatedAt.toISOString(),
  }));
  // Days left ascending (overdue first); dossiers whose clock has not started after them.
  return rows.sort((a, b) => (a.deadline.daysRemaining ?? Infinity) - (b.deadline.daysRemaining ?? Infinity));
}

/** A dossier's documents, each with its versions (newest first) and the current one. */
export async function documentsOf(dossierId: number): Promise<DossierDocumentView[]> {
  const docs = await DossierDocument.findAll({ where: { dossierId }, include: [DocumentVersion], order: [['id', 'ASC'], [DocumentVersion, 'version', 'DESC']] });
  return docs.map((d) => {
    const versions = (d.DocumentVersions ?? []).map(versionView);
    return { id: d.id, itemCode: d.itemCode, currentVersion: versions[0]!, versions };
  });
}

/** The legal deadline of each dossier from its timeline. */
export async function deadlinesOf(dossiers: Dossier[], now = new Date()): Promise<Map<number, DeadlineView>> {
  const events = await DossierEvent.findAll({ where: { dossierId: { [Op.in]: dossiers.map((d) => d.id) } }, order: [['id', 'ASC']] });
  const byDossier = new Map<number, DossierEvent[]>();
  for (const e of events) byDossier.set(e.dossierId, [...(byDossier.get(e.dossierId) ?? []), e]);
  return new Map(dossiers.map((d) => [d.id, deadline(legalDays(d), clockSpans(byDossier.get(d.id) ?? []), now)]));
}

/** Everything the dossier page shows. The committee sees neither messages nor the applicant's contact. */
export async function dossierView(dossier: Dossier, viewer: DossierViewer): Promise<DossierView> {
  const [type, municipality, applicant, documents, events, messages, deadlines, agenda, opinions, decision] = await Promise.all([
    DossierType.findByPk(dossier.dossierTypeId, { include: [ChecklistItem], order: [[ChecklistItem, 'position', 'ASC']] }),
    Municipality.findByPk(dossier.municipalityId),
    User.findByPk(dossier.applicantId, { attributes: ['id', 'nameAr', 'nameFr', 'email'] }),
    documentsOf(dossier.id),
    DossierEvent.findAll({ where: { dossierId: dossier.id }, include: [{ model: User, attributes: ['id', 'nameAr', 'nameFr'] }], order: [['id', 'ASC']] }),
    viewer === 'committee' ? [] : DossierMessage.findAll({ where: { dossierId: dossier.id }, include: [{ model: User, attributes: ['id', 'nameAr', 'nameFr'] }], order: [['id', 'ASC']] }),
    deadlinesOf([dossier]),
    AgendaItem.findAll({ where: { dossierId: dossier.id }, include: [CommitteeSession], order: [['id', 'ASC']] }),
    CommitteeOpinion.findAll({ where: { dossierId: dossier.id }, include: [{ model: AgendaItem, attributes: ['sessionId'] }], order: [['id', 'ASC']] }),
    PermitDecision.findOne({ where: { dossierId: dossier.id } }),
  ]);
  const docByItem = new Map(documents.map((d) => [d.itemCode, d.id]));
  const checklist: ChecklistItemView[] = (type?.ChecklistItems ?? []).map((i) => ({
    code: i.code, labelAr: i.labelAr, labelFr: i.labelFr, labelEn: i.labelEn, required: isRequired(i, dossier.coveredAreaM2), documentId: docByItem.get(i.code) ?? null,
  }));
  const sessionIds = [...new Set(events.map((e) => e.details?.sessionId).filter((id): id is number => id !== undefined))];
  const sessions = new Map((sessionIds.length ? await CommitteeSession.findAll({ where: { id: { [Op.in]: sessionIds } } }) : []).map((s) => [s.id, s]));
  const timeline: DossierEventView[] = events.map((e) => {
    const session = e.details?.sessionId !== undefined ? sessions.get(e.details.sessionId) : undefined;
    return {
      id: e.id, action: e.action, fromStatus: e.fromStatus, toStatus: e.toStatus, note: e.note, items: e.details?.items ?? [],
      session: session ? { id: session.id, startsAt: session.startsAt.toISOString() } : null,
      at: e.at.toISOString(),
      // The committee judges the dossier, not its author: the applicant's own steps are not signed with their name.
      by: e.User && !(viewer === 'committee' && e.User.id === dossier.applicantId) ? personName(e.User) : null,
    };
  });
  return {
    id: dossier.id,
    reference: dossier.reference,
    status: dossier.status,
    municipality: municipalityName(municipality!),
    type: typeName(type!),
    applicant: viewer === 'committee' ? null : { ...personName(applicant!), email: applicant!.email },
    location: { address: dossier.address, parcelRef: dossier.parcelRef, lat: dossier.lat, lng: dossier.lng },
    coveredAreaM2: dossier.coveredAreaM2,
    levels: dossier.levels,
    nearProtectedSite: dossier.nearProtectedSite,
    localPlanInDrafting: dossier.localPlanInDrafting,
    deadline: deadlines.get(dossier.id)!,
    checklist,
    documents,
    timeline,
    messages: messages.map((m) => ({ id: m.id, body: m.body, at: m.createdAt.toISOString(), author: personName(m.User!) })),
    sessions: agenda.map((a) => ({ sessionId: a.sessionId, agendaItemId: a.id, startsAt: a.CommitteeSession!.startsAt.toISOString(), position: a.position })),
    opinions: opinions.map((o): OpinionView => ({
      id: o.id, opinion: o.opinion, conditions: o.conditions, markups: o.markups, reasons: o.reasons, givenAt: o.givenAt.toISOString(),
      sessionId: (o as CommitteeOpinion & { AgendaItem: AgendaItem }).AgendaItem.sessionId, documents: o.documents,
    })),
    decision: decision && {
      id: decision.id, outcome: decision.outcome, arreteNumber: decision.arreteNumber, signedOn: decision.signedOn, notes: decision.notes,
      recordedAt: decision.recordedAt.toISOString(),
    },
    viewer,
    createdAt: dossier.createdAt.toISOString(),
    updatedAt: dossier.updatedAt.toISOString(),
  };
}
