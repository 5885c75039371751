import { Op } from 'sequelize';
import { Complaint, ComplaintPhoto, Municipality, User } from '../../db/models';
import { forUpdate, writeTransaction } from '../../db/transactions';
import type { ComplaintCategory, ComplaintViewer, CreateComplaintBody } from '../../protocol/complaints';
import { MAX_COMPLAINT_PHOTOS } from '../../protocol/complaints';
import { outlineOf, pointInOutline } from '../../protocol/municipalOutlines';
import type { PersonName } from '../../protocol/dossiers';
import { hasRole, type Principal } from '../domain/access';
import { findCode } from '../domain/caseSettings';
import { complaintClosed, complaintStep, reporterMayAddPhotos, type ComplaintAction } from '../domain/complaints';
import { AppError, conflict, forbidden, notFound } from '../errors';
import { appendAudit } from './audit';
import { caseSettingsOf, recordStep } from './caseRecords';
import type { DocumentStore, Keepable, ReceivedFile } from './documentStore';
import { personName } from './dossiers';
import { encodePhoto } from './photoEncoder';
import type { CaseNotice } from '../notifications/notices';
import { notifyApplicant } from '../notifications/outbox';

export const COMPLAINT_CASE = 'complaint' as const;

/** The report categories of a municipality: its own list, or the defaults. */
export async function complaintCategoriesOf(municipalityId: number): Promise<readonly ComplaintCategory[]> {
  return (await caseSettingsOf(municipalityId)).complaintCategories;
}

/** Who may see a report: its reporter, and the office (secretary, admin) of its municipality; anyone else 404. */
export async function complaintFor(principal: Principal | undefined, id: number): Promise<{ complaint: Complaint; viewer: ComplaintViewer }> {
  const complaint = await Complaint.findByPk(id);
  const viewer: ComplaintViewer | null = !complaint || !principal ? null
    : hasRole(principal, ['secretary'], complaint.municipalityId) ? 'office'
      : complaint.reporterId === principal.userId ? 'reporter' : null;
  if (!complaint || !viewer) throw notFound('complaint');
  return { complaint, viewer };
}

/**
 * Files a report for a person registered with the municipality; its category must be one of
 * the municipality's, and its map point (if any) inside the municipality's outline (a
 * municipality with no outline drawn takes any point).
 */
export async function fileComplaint(principal: Principal, body: CreateComplaintBody, now = new Date()): Promise<Complaint> {
  if (!hasRole(principal, ['applicant'], body.municipalityId)) throw forbidden('only people registered with this municipality may report to it');
  if (!findCode(await complaintCategoriesOf(body.municipalityId), body.category)) {
    throw new AppError(400, 'invalid_payload', 'unknown category for this municipality', [{ path: 'category', message: 'unknown' }]);
  }
  const municipality = await Municipality.findByPk(body.municipalityId);
  if (!municipality) throw notFound('municipality');
  const outline = outlineOf(municipality.code);
  if (body.point && outline && !pointInOutline(body.point, outline)) {
    throw new AppError(422, 'point_outside_municipality', 'the map point lies outside the municipality', { municipalityCode: municipality.code });
  }
  return writeTransaction(Complaint.sequelize!, async (transaction) => {
    const complaint = await Complaint.create({
      municipalityId: municipality.id, reporterId: principal.userId, category: body.category, description: body.description,
      lat: body.point?.lat ?? null, lng: body.point?.lng ?? null, address: body.address ?? '', neighbourhood: body.neighbourhood ?? '',
      anonymous: body.anonymous, status: 'received',
    }, { transaction });
    const reference = `${municipality.code}-RC-${now.getUTCFullYear()}-${String(complaint.id).padStart(4, '0')}`;
    await complaint.update({ reference }, { transaction });
    await recordStep(transaction, COMPLAINT_CASE, complaint.id, { action: 'receive', fromStatus: null, toStatus: 'received', actorId: principal.userId, at: now });
    await appendAudit(transaction, { at: now, actorId: principal.userId, action: 'complaint.received', subject: `complaint:${complaint.id}`, payload: { reference, category: body.category } });
    await notifyApplicant({ applicantId: principal.userId, municipalityId: municipality.id }, { kind: 'complaint_received', reference }, transaction, { kind: COMPLAINT_CASE });
    return complaint;
  });
}

/**
 * Adds a photo to a report: re-encoded first (no metadata survives, see photoEncoder), then
 * stored by content, marked pending until its row commits (a crash or a refusal in between
 * leaves nothing the next start keeps, as for dossier documents); at most
 * MAX_COMPLAINT_PHOTOS, and only while the report is new (the route lets only the reporter send one).
 */
export async function addComplaintPhoto(complaint: Complaint, file: ReceivedFile, store: DocumentStore): Promise<ComplaintPhoto> {
  let encoded: Keepable | undefined;
  try {
    if (!reporterMayAddPhotos(complaint.status)) throw new AppError(409, 'invalid_transition', `photos cannot be added to a report that is ${complaint.status}`);
    const photo = await encodePhoto(file.tempPath);
    encoded = await store.stage(photo.bytes);
    const { sha256 } = encoded;
    return await store.keepFor([encoded], ([storagePath]) => writeTransaction(Complaint.sequelize!, async (transaction) => {
      if ((await ComplaintPhoto.count({ where: { complaintId: complaint.id }, transaction })) >= MAX_COMPLAINT_PHOTOS) {
        throw conflict(`a report carries at most ${MAX_COMPLAINT_PHOTOS} photos`, { max: MAX_COMPLAINT_PHOTOS });
      }
      return ComplaintPhoto.create({ complaintId: complaint.id, sha256, size: photo.bytes.length, width: photo.width, height: photo.height, storagePath: storagePath! }, { transaction });
    }));
  } finally {
    // Nothing kept on failure; once kept, the staged file is already gone.
    await Promise.all([store.discard(file), encoded && store.discard(encoded)]);
  }
}

interface OfficeStep {
  action: ComplaintAction;
  note: string;
  patch: Partial<Complaint>;
  /** What the reporter is told, by the report's reference. */
  notice: (reference: string) => CaseNotice;
}

/** The office's step on a report, with its timeline entry, audit entry and the reporter's email, together. */
export async function stepComplaint(principal: Principal, id: number, step: OfficeStep, now = new Date()): Promise<Complaint> {
  return writeTransaction(Complaint.sequelize!, async (transaction) => {
    const c = await Complaint.findByPk(id, forUpdate(transaction));
    if (!c) throw notFound('complaint');
    const to = complaintStep(c.status, step.action);
    if (!to) throw new AppError(409, 'invalid_transition', `cannot ${step.action} a report that is ${c.status}`, { status: c.status });
    const from = c.status;
    await c.update({ ...step.patch, status: to, ...(complaintClosed(to) ? { closedAt: now } : {}) }, { transaction });
    await recordStep(transaction, COMPLAINT_CASE, c.id, { action: step.action, fromStatus: from, toStatus: to, note: step.note, actorId: principal.userId, at: now });
    await appendAudit(transaction, { at: now, actorId: principal.userId, action: `complaint.${step.action}`, subject: `complaint:${c.id}`, payload: { from, to } });
    if (c.reporterId) await notifyApplicant({ applicantId: c.reporterId, municipalityId: c.municipalityId }, step.notice(c.reference!), transaction, { kind: COMPLAINT_CASE });
    return c;
  });
}

export const complaintSteps = {
  assign: (p: Principal, id: number, service: string) => stepComplaint(p, id, {
    action: 'assign', note: service, patch: { service }, notice: (reference) => ({ kind: 'complaint_assigned', reference, service }),
  }),
  resolve: (p: Principal, id: number, note: string) => stepComplaint(p, id, {
    action: 'resolve', note, patch: {}, notice: (reference) => ({ kind: 'complaint_resolved', reference, note }),
  }),
  reject: (p: Principal, id: number, reason: string) => stepComplaint(p, id, {
    action: 'reject', note: reason, patch: { rejectionReason: reason }, notice: (reference) => ({ kind: 'complaint_rejected', reference, reason }),
  }),
};

/** Reporters' names as the office may see them: none for an anonymous report. */
export async function reporterOf(c: Complaint, viewer: ComplaintViewer): Promise<PersonName | null> {
  if (!c.reporterId || (c.anonymous && viewer === 'office')) return null;
  const u = await User.findByPk(c.reporterId, { attributes: ['id', 'nameAr', 'nameFr'] });
  return u && personName(u);
}

/** Reports the office of `principal` works on (their municipalities'), or the reporter's own. */
export function complaintsWhere(principal: Principal): object {
  const offices = principal.memberships.filter((m) => m.role === 'secretary' || m.role === 'admin').map((m) => m.municipalityId);
  return offices.length ? { municipalityId: { [Op.in]: offices } } : { reporterId: principal.userId };
}
