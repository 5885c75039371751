import type { Transaction } from 'sequelize';
import { CaseDocument, CaseEvent, CaseMessage, CaseSettings, User, type CaseType } from '../../db/models';
import { writeTransaction } from '../../db/transactions';
import type { CaseDocumentView, CaseEventView, CaseMessageView } from '../../protocol/informationRequests';
import { DEFAULT_COMPLAINT_CATEGORIES, DEFAULT_REFUSAL_GROUNDS } from '../domain/caseSettings';
import { DEFAULT_RETENTION } from '../domain/retention';
import { notifyApplicant } from '../notifications/outbox';
import { personName } from './dossiers';

/**
 * What every case type beside permits keeps the same way: a timeline of steps, a thread of
 * messages, attached files. Rows name their case by type and id.
 */
const withName = { model: User, attributes: ['id', 'nameAr', 'nameFr'] };

export interface CaseStep {
  action: string;
  fromStatus: string | null;
  toStatus: string;
  note?: string;
  actorId: number | null;
  at: Date;
}

export async function recordStep(transaction: Transaction, caseType: CaseType, caseId: number, step: CaseStep): Promise<void> {
  await CaseEvent.create({ caseType, caseId, ...step, note: step.note ?? '' }, { transaction });
}

export async function caseTimeline(caseType: CaseType, caseId: number): Promise<CaseEventView[]> {
  const events = await CaseEvent.findAll({ where: { caseType, caseId }, include: [withName], order: [['id', 'ASC']] });
  return events.map((e) => ({
    id: e.id, action: e.action, fromStatus: e.fromStatus, toStatus: e.toStatus, note: e.note, at: e.at.toISOString(), by: e.User ? personName(e.User) : null,
  }));
}

export async function caseMessages(caseType: CaseType, caseId: number): Promise<CaseMessageView[]> {
  const messages = await CaseMessage.findAll({ where: { caseType, caseId }, include: [withName], order: [['id', 'ASC']] });
  return messages.map((m) => ({ id: m.id, body: m.body, at: m.createdAt.toISOString(), author: personName(m.User!) }));
}

export async function caseDocuments(caseType: CaseType, caseId: number): Promise<CaseDocumentView[]> {
  const docs = await CaseDocument.findAll({ where: { caseType, caseId }, order: [['id', 'ASC']] });
  return docs.map((d) => ({ id: d.id, fileName: d.fileName, sha256: d.sha256, size: Number(d.size), pageCount: d.pageCount, createdAt: d.createdAt.toISOString() }));
}

/** A message in a case's thread; when `notifyUserId` is given (the municipality wrote to the person), it reaches them by email. */
export async function postCaseMessage(caseType: CaseType, c: { id: number; reference: string | null; municipalityId: number }, authorId: number, body: string, notifyUserId: number | null): Promise<void> {
  await writeTransaction(CaseMessage.sequelize!, async (transaction) => {
    await CaseMessage.create({ caseType, caseId: c.id, authorId, body }, { transaction });
    if (notifyUserId) await notifyApplicant({ applicantId: notifyUserId, municipalityId: c.municipalityId }, { kind: 'case_message', reference: c.reference ?? String(c.id), message: body }, transaction, { kind: caseType });
  });
}

/** The lists and retention periods a municipality has in force: its own, or the defaults. */
export async function caseSettingsOf(municipalityId: number) {
  const s = await CaseSettings.findByPk(municipalityId);
  return {
    refusalGrounds: s?.refusalGrounds ?? DEFAULT_REFUSAL_GROUNDS,
    complaintCategories: s?.complaintCategories ?? DEFAULT_COMPLAINT_CATEGORIES,
    retention: s?.retention ?? DEFAULT_RETENTION,
  };
}
