import { Op } from 'sequelize';
import {
  AttendanceInterval, AuditEntryRow, Ballot, CaseEvent, CaseMessage, CommitteeSeat, Committee, Complaint, ComplaintPhoto, DocumentVersion, Dossier,
  DossierDocument, DossierEvent, DossierMessage, InformationRequest, LoginSession, Membership, Municipality, User, type CaseType,
} from '../../db/models';
import { writeTransaction } from '../../db/transactions';
import type { ErasureAnswer, ExportedMessage, ExportedStep, PersonalDataExport, SmsSettings, SmsSettingsView } from '../../protocol/personalData';
import { accountVerdict, erasureVerdict, type ErasureKind } from '../domain/erasure';
import { parseTunisianNumber } from '../domain/sms';
import { AppError, conflict, notFound } from '../errors';
import { appendAudit } from './audit';

const iso = (d: Date) => d.toISOString();

/**
 * Everything Lajna holds about one person (Law 2004-63 art. 32: the right of access), and
 * nothing about anyone else: in the threads and timelines of their own cases, what others
 * wrote or did is marked as the municipality's, without their names; their own steps on other
 * people's cases (as staff) are listed as what and when, without those people's data.
 */
export async function personalDataOf(userId: number, now = new Date()): Promise<PersonalDataExport> {
  const user = await User.findByPk(userId);
  if (!user) throw notFound('user');
  const side = (authorId: number | null) => (authorId === null ? null : authorId === userId ? 'you' as const : 'municipality' as const);
  // A step or a message of a dossier or of a case, as the person sees it.
  const step = (e: { at: Date; action: string; toStatus: string; actorId: number | null; note: string }): ExportedStep => (
    { at: iso(e.at), action: e.action, toStatus: e.toStatus, by: side(e.actorId), note: e.note });
  const message = (m: { createdAt: Date; authorId: number; body: string }): ExportedMessage => ({ at: iso(m.createdAt), from: side(m.authorId)!, body: m.body });
  const [memberships, dossiers, requests, complaints, seats, attendance, ballots, audit, logins] = await Promise.all([
    Membership.findAll({ where: { userId }, include: [Municipality] }),
    Dossier.findAll({ where: { applicantId: userId }, order: [['id', 'ASC']] }),
    InformationRequest.findAll({ where: { requesterId: userId }, order: [['id', 'ASC']] }),
    Complaint.findAll({ where: { reporterId: userId }, order: [['id', 'ASC']] }),
    CommitteeSeat.findAll({ where: { userId }, include: [{ model: Committee, include: [Municipality] }] }),
    AttendanceInterval.findAll({ where: { userId }, order: [['id', 'ASC']] }),
    Ballot.findAll({ where: { userId }, order: [['id', 'ASC']] }),
    AuditEntryRow.findAll({ where: { actorId: userId }, order: [['seq', 'ASC']] }),
    LoginSession.findAll({ where: { userId }, order: [['createdAt', 'ASC']] }),
  ]);
  const dossierIds = dossiers.map((d) => d.id);
  const [events, messages, documents] = await Promise.all([
    DossierEvent.findAll({ where: { dossierId: { [Op.in]: dossierIds } }, order: [['id', 'ASC']] }),
    DossierMessage.findAll({ where: { dossierId: { [Op.in]: dossierIds } }, order: [['id', 'ASC']] }),
    DossierDocument.findAll({ where: { dossierId: { [Op.in]: dossierIds } }, include: [DocumentVersion], order: [['id', 'ASC']] }),
  ]);
  const caseThread = async (caseType: CaseType, caseId: number): Promise<{ timeline: ExportedStep[]; messages: ExportedMessage[] }> => {
    const [steps, lines] = await Promise.all([
      CaseEvent.findAll({ where: { caseType, caseId }, order: [['id', 'ASC']] }),
      CaseMessage.findAll({ where: { caseType, caseId }, order: [['id', 'ASC']] }),
    ]);
    return { timeline: steps.map(step), messages: lines.map(message) };
  };
  return {
    generatedAt: iso(now),
    account: {
      id: user.id, email: user.email, nameAr: user.nameAr, nameFr: user.nameFr, smsNumber: user.smsNumber ?? null, smsOptIn: user.smsOptIn, createdAt: iso(user.createdAt),
      roles: memberships.map((m) => ({ municipality: (m as Membership & { Municipality: Municipality }).Municipality.code, role: m.role })),
    },
    dossiers: dossiers.map((d) => ({
      reference: d.reference, status: d.status, address: d.address, parcelRef: d.parcelRef, lat: d.lat, lng: d.lng,
      coveredAreaM2: d.coveredAreaM2, levels: d.levels, createdAt: iso(d.createdAt), updatedAt: iso(d.updatedAt),
      documents: documents.filter((doc) => doc.dossierId === d.id).flatMap((doc) => (doc.DocumentVersions ?? []).map((v) => ({
        itemCode: doc.itemCode, version: v.version, fileName: v.fileName, sha256: v.sha256, uploadedAt: iso(v.createdAt),
      }))),
      timeline: events.filter((e) => e.dossierId === d.id).map(step),
      messages: messages.filter((m) => m.dossierId === d.id).map(message),
    })),
    informationRequests: await Promise.all(requests.map(async (r) => ({
      reference: r.reference!, subject: r.subject, description: r.description, accessForm: r.accessForm, lifeOrLiberty: r.lifeOrLiberty, status: r.status,
      receivedAt: iso(r.receivedAt), answerNote: r.answerNote ?? null, refusalReasons: r.refusalReasons ?? null, appealGrounds: r.appealGrounds ?? null,
      ...(await caseThread('information_request', r.id)),
    }))),
    complaints: await Promise.all(complaints.map(async (c) => ({
      reference: c.reference!, category: c.category, description: c.description, lat: c.lat, lng: c.lng, address: c.address, neighbourhood: c.neighbourhood,
      anonymous: c.anonymous, status: c.status, createdAt: iso(c.createdAt), photos: await ComplaintPhoto.count({ where: { complaintId: c.id } }),
      ...(await caseThread('complaint', c.id)),
    }))),
    committeeSeats: seats.map((s) => ({
      municipality: (s as CommitteeSeat & { Committee: Committee & { Municipality: Municipality } }).Committee.Municipality.code, kind: s.kind, titleFr: s.titleFr, titleAr: s.titleAr,
    })),
    attendance: attendance.map((a) => ({ sessionId: a.sessionId, mode: a.mode, joinedAt: iso(a.joinedAt), leftAt: a.leftAt ? iso(a.leftAt) : null })),
    ballots: ballots.map((b) => ({ voteId: b.voteId, choice: b.choice, castAt: iso(b.castAt) })),
    actions: audit.map((a) => ({ at: a.at, action: a.action, subject: a.subject })),
    loginSessions: logins.map((l) => ({ createdAt: iso(l.createdAt), expiresAt: iso(l.expiresAt) })),
  };
}

/** The person corrects their names or email (art. 21: the right to rectification), with an audit entry. */
export async function correctContact(userId: number, patch: { nameAr?: string; nameFr?: string; email?: string }): Promise<void> {
  await writeTransaction(User.sequelize!, async (transaction) => {
    if (patch.email && (await User.count({ where: { email: patch.email, id: { [Op.ne]: userId } }, transaction }))) {
      throw conflict('another account uses this email');
    }
    await User.update(patch, { where: { id: userId }, transaction });
    await appendAudit(transaction, { actorId: userId, action: 'person.contact_corrected', subject: `user:${userId}`, payload: { fields: Object.keys(patch).sort() } });
  });
}

/** What may and may not be erased of a person's records, and why: the answer to a deletion request. */
export async function erasureAnswer(userId: number): Promise<ErasureAnswer> {
  const [dossiers, requests, complaints, seats, attendance, ballots, logins] = await Promise.all([
    Dossier.findAll({ where: { applicantId: userId }, order: [['id', 'ASC']] }),
    InformationRequest.findAll({ where: { requesterId: userId }, order: [['id', 'ASC']] }),
    Complaint.findAll({ where: { reporterId: userId }, order: [['id', 'ASC']] }),
    CommitteeSeat.count({ where: { userId } }), AttendanceInterval.count({ where: { userId } }), Ballot.count({ where: { userId } }),
    LoginSession.count({ where: { userId } }),
  ]);
  const item = (kind: ErasureKind, reference: string | null, status: string) => ({ kind, reference, status, ...erasureVerdict(kind, status) });
  const items = [
    ...dossiers.map((d) => item('dossier', d.reference, d.status)),
    ...requests.map((r) => item('information_request', r.reference, r.status)),
    ...complaints.map((c) => item('complaint', c.reference, c.status)),
    ...(seats + attendance + ballots > 0 ? [item('committee_record', null, '')] : []),
    ...(logins > 0 ? [item('login_session', null, '')] : []),
  ];
  return { userId, account: accountVerdict(items), items };
}

/** A person sets their own mobile number and SMS choice: a number that is not Tunisian, or SMS without a number → 400 invalid_phone. */
/** A person's own SMS number and choice, for their profile page. */
export async function smsOf(userId: number): Promise<SmsSettingsView> {
  const user = await User.findByPk(userId);
  if (!user) throw notFound('person');
  return { smsNumber: user.smsNumber ?? null, smsOptIn: user.smsOptIn };
}

export async function setSms(userId: number, settings: SmsSettings): Promise<SmsSettingsView> {
  let smsNumber: string | null = null;
  if (settings.number !== null && settings.number.trim()) {
    const parsed = parseTunisianNumber(settings.number);
    if (!parsed.ok) throw new AppError(400, 'invalid_phone', 'not a Tunisian mobile number (+216 and 8 digits)', { reason: parsed.reason });
    smsNumber = parsed.e164;
  }
  if (settings.optIn && !smsNumber) throw new AppError(400, 'invalid_phone', 'SMS needs a mobile number', { reason: 'missing' });
  await writeTransaction(User.sequelize!, async (transaction) => {
    await User.update({ smsNumber, smsOptIn: settings.optIn }, { where: { id: userId }, transaction });
    await appendAudit(transaction, { actorId: userId, action: 'person.sms_set', subject: `user:${userId}`, payload: { optIn: settings.optIn, hasNumber: smsNumber !== null } });
  });
  return { smsNumber, smsOptIn: settings.optIn };
}
