import type { Transaction } from 'sequelize';
import { ChecklistItem, type Dossier, DossierEvent } from '../../db/models';
import { clockSpans, deadline, legalDays } from '../domain/deadlines';
import { AppError } from '../errors';
import { notifyApplicant } from './outbox';

/** The applicant is told the office asks for documents: the message and each item by its names. Unknown items → 400. */
export async function noticeDocumentsRequested(dossier: Dossier, message: string, itemCodes: readonly string[], transaction: Transaction): Promise<void> {
  const checklist = await ChecklistItem.findAll({ where: { dossierTypeId: dossier.dossierTypeId }, order: [['position', 'ASC']], transaction });
  const unknown = itemCodes.filter((code) => !checklist.some((i) => i.code === code));
  if (unknown.length) throw new AppError(400, 'invalid_payload', 'not an item of this dossier\'s checklist', unknown.map((code) => ({ path: 'items', message: code })));
  const items = checklist.filter((i) => itemCodes.includes(i.code)).map((i) => ({ ar: i.labelAr, fr: i.labelFr }));
  await notifyApplicant(dossier, { kind: 'documents_requested', reference: dossier.reference ?? String(dossier.id), message, items }, transaction);
}

/** The applicant is told the dossier is complete, with the day the legal clock now runs to. */
export async function noticeComplete(dossier: Dossier, transaction: Transaction, now = new Date()): Promise<void> {
  const events = await DossierEvent.findAll({ where: { dossierId: dossier.id }, order: [['id', 'ASC']], transaction });
  const clock = deadline(legalDays(dossier), clockSpans(events), now);
  await notifyApplicant(dossier, {
    kind: 'dossier_complete', reference: dossier.reference ?? String(dossier.id), legalDays: clock.days, dueOn: clock.dueOn ?? '',
  }, transaction);
}
