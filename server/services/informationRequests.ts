import { Op, type Transaction } from 'sequelize';
import { CaseDocument, InformationRequest, Municipality } from '../../db/models';
import { forUpdate, writeTransaction } from '../../db/transactions';
import type { CreateInformationRequestBody, InformationViewer, RefusalGround } from '../../protocol/informationRequests';
import { hasRole, type Principal } from '../domain/access';
import { findCode } from '../domain/caseSettings';
import { mayExtend, requestClock, type RequestFacts } from '../domain/informationDelays';
import { informationStep, type InformationAction, type InformationActor } from '../domain/informationLifecycle';
import { AppError, forbidden, notFound } from '../errors';
import { appendAudit } from './audit';
import { caseSettingsOf, recordStep } from './caseRecords';
import type { DocumentStore, ReceivedFile } from './documentStore';
import type { CaseNotice } from '../notifications/notices';
import { notifyApplicant } from '../notifications/outbox';
import type { PdfInspection } from './pdfInspection';

export const INFORMATION_CASE = 'information_request' as const;

/** What the law's clock needs of a stored request. */
export const factsOf = (r: InformationRequest): RequestFacts => ({
  receivedAt: r.receivedAt, lifeOrLiberty: r.lifeOrLiberty, accessForm: r.accessForm, extendedAt: r.extendedAt ?? null,
  answeredAt: r.answeredAt ?? null, answerIsRefusal: r.status === 'refused' || r.refusalGround !== null,
  appealFiledAt: r.appealFiledAt ?? null, appealDecidedAt: r.appealDecidedAt ?? null,
});

/**
 * Who may see a request: its requester, and the information officers (or admins) of its
 * municipality. Anyone else, and an unknown id: 404, so ids leak nothing.
 */
export async function informationRequestFor(principal: Principal | undefined, id: number): Promise<{ request: InformationRequest; viewer: InformationViewer }> {
  const request = await InformationRequest.findByPk(id);
  const viewer: InformationViewer | null = !request || !principal ? null
    : hasRole(principal, ['information_officer'], request.municipalityId) ? 'officer'
      : request.requesterId === principal.userId ? 'requester' : null;
  if (!request || !viewer) throw notFound('information request');
  return { request, viewer };
}

/** The refusal grounds a municipality's officers may cite: its own list, or the law's. */
export async function refusalGroundsOf(municipalityId: number): Promise<readonly RefusalGround[]> {
  return (await caseSettingsOf(municipalityId)).refusalGrounds;
}

/**
 * Receives a request: from a person's account (an applicant of the municipality, as for
 * dossiers), or entered by the officer for a person at the desk. Its reference, the first
 * step of its timeline, an audit entry and the requester's acknowledgement with the due
 * date go in one transaction.
 */
export async function receiveInformationRequest(principal: Principal, body: CreateInformationRequestBody, now = new Date()): Promise<InformationRequest> {
  const atDesk = body.desk !== undefined;
  if (atDesk && !hasRole(principal, ['information_officer'], body.municipalityId)) throw forbidden('only the information officer enters a request made at the desk');
  if (!atDesk && !hasRole(principal, ['applicant'], body.municipalityId)) throw forbidden('only people registered with this municipality may file a request');
  const municipality = await Municipality.findByPk(body.municipalityId);
  if (!municipality) throw notFound('municipality');
  return writeTransaction(InformationRequest.sequelize!, async (transaction) => {
    const year = now.getUTCFullYear();
    const sameYear = await InformationRequest.count({
      where: { municipalityId: municipality.id, receivedAt: { [Op.gte]: new Date(Date.UTC(year, 0, 1)), [Op.lt]: new Date(Date.UTC(year + 1, 0, 1)) } }, transaction,
    });
    const request = await InformationRequest.create({
      municipalityId: municipality.id, requesterId: atDesk ? null : principal.userId,
      reference: `${municipality.code}-AI-${year}-${String(sameYear + 1).padStart(4, '0')}`,
      requesterName: atDesk ? body.desk!.name : principal.nameFr || principal.nameAr,
      requesterContact: atDesk ? body.desk!.contact : principal.email,
      subject: body.subject, description: body.description, accessForm: body.accessForm, lifeOrLiberty: body.lifeOrLiberty,
      status: 'received', receivedAt: now,
    }, { transaction });
    await recordStep(transaction, INFORMATION_CASE, request.id, { action: 'receive', fromStatus: null, toStatus: 'received', actorId: principal.userId, at: now });
    await appendAudit(transaction, {
      at: now, actorId: principal.userId, action: 'information_request.received', subject: `information_request:${request.id}`,
      payload: { reference: request.reference!, atDesk, lifeOrLiberty: body.lifeOrLiberty },
    });
    const due = requestClock(factsOf(request), now);
    if (request.requesterId) {
      await notifyApplicant({ applicantId: request.requesterId, municipalityId: request.municipalityId }, {
        kind: 'information_received', reference: request.reference!, subject: request.subject, urgent: due.delay.unit === 'hours', dueAt: new Date(due.dueAt), dueOn: due.dueOn,
      }, transaction, { kind: INFORMATION_CASE });
    }
    return request;
  });
}

interface StepInput {
  action: InformationAction;
  actor: InformationActor;
  note?: string;
  /** The fields the step sets, from the request as re-read under the write lock. */
  patch: (r: InformationRequest, t: Transaction) => Promise<Partial<InformationRequest>> | Partial<InformationRequest>;
  /** What the requester is told (Arabic and French, notifications/notices). */
  notice?: (r: InformationRequest) => CaseNotice;
}

/** Takes one step: the lifecycle table, then the delays, then the row, its timeline entry, the audit entry and the email, together. */
export async function stepInformationRequest(principal: Principal, id: number, input: StepInput, now = new Date()): Promise<InformationRequest> {
  return writeTransaction(InformationRequest.sequelize!, async (transaction) => {
    const r = await InformationRequest.findByPk(id, forUpdate(transaction));
    if (!r) throw notFound('information request');
    const step = informationStep(r.status, input.action, input.actor);
    if (!step.ok) {
      if (step.reason === 'wrong_actor') throw forbidden(`${input.action} is not yours to do`);
      throw new AppError(409, 'invalid_transition', `cannot ${input.action} a request that is ${r.status}`, { status: r.status });
    }
    const from = r.status;
    await r.update({ ...(await input.patch(r, transaction)), status: step.to }, { transaction });
    await recordStep(transaction, INFORMATION_CASE, r.id, { action: input.action, fromStatus: from, toStatus: step.to, note: input.note, actorId: principal.userId, at: now });
    await appendAudit(transaction, {
      at: now, actorId: principal.userId, action: `information_request.${input.action}`, subject: `information_request:${r.id}`,
      payload: { from, to: step.to, ...(r.refusalGround && input.action === 'refuse' ? { ground: r.refusalGround } : {}) },
    });
    const notice = input.notice?.(r);
    if (notice && r.requesterId) await notifyApplicant({ applicantId: r.requesterId, municipalityId: r.municipalityId }, notice, transaction, { kind: INFORMATION_CASE });
    return r;
  });
}

/** The officer's steps and the requester's appeal, each with the law's condition besides the lifecycle. */
export const informationSteps = {
  extend: (principal: Principal, id: number, reason: string, now = new Date()) => stepInformationRequest(principal, id, {
    action: 'extend', actor: 'officer', note: reason,
    patch: (r) => {
      const may = mayExtend({ ...factsOf(r), extended: r.extendedAt !== null, answered: r.answeredAt !== null }, now);
      if (!may.ok) throw new AppError(409, 'invalid_transition', `the delay cannot be extended (${may.reason})`, { reason: may.reason });
      return { extendedAt: now, extensionReason: reason };
    },
    notice: (r) => ({ kind: 'information_extended', reference: r.reference!, dueOn: requestClock(factsOf(r), now).dueOn, reason }),
  }, now),

  redirect: (principal: Principal, id: number, referredTo: string, note: string, now = new Date()) => stepInformationRequest(principal, id, {
    action: 'redirect', actor: 'officer', note: [referredTo, note].filter(Boolean).join('\n'),
    patch: () => ({ referredTo, answeredAt: now, answerNote: note || null }),
    notice: (r) => ({ kind: 'information_redirected', reference: r.reference!, referredTo }),
  }, now),

  answer: (principal: Principal, id: number, note: string, now = new Date()) => stepInformationRequest(principal, id, {
    action: 'answer', actor: 'officer', note,
    patch: async (r, transaction) => {
      const attached = await CaseDocument.count({ where: { caseType: INFORMATION_CASE, caseId: r.id }, transaction });
      // Consulting on site gives access where the information is; every other form hands over documents.
      if (r.accessForm !== 'on_site' && attached === 0) throw new AppError(409, 'conflict', 'attach the documents that answer the request first');
      return { answeredAt: now, answerNote: note || null, refusalGround: null, refusalReasons: null };
    },
    notice: (r) => ({ kind: 'information_answered', reference: r.reference!, note }),
  }, now),

  refuse: (principal: Principal, id: number, ground: string, reasons: string, now = new Date()) => stepInformationRequest(principal, id, {
    action: 'refuse', actor: 'officer', note: reasons,
    patch: async (r) => {
      if (!findCode(await refusalGroundsOf(r.municipalityId), ground)) {
        throw new AppError(400, 'invalid_payload', 'a refusal must rely on one of the legal exceptions', [{ path: 'ground', message: 'unknown' }]);
      }
      return { answeredAt: now, refusalGround: ground, refusalReasons: reasons };
    },
    notice: (r) => ({ kind: 'information_refused', reference: r.reference!, reasons }),
  }, now),

  appeal: (principal: Principal, id: number, grounds: string, now = new Date()) => stepInformationRequest(principal, id, {
    action: 'appeal', actor: 'requester', note: grounds,
    patch: (r) => {
      const clock = requestClock(factsOf(r), now);
      // From an open request only once silence has become a refusal; within the appeal's 20 days in every case.
      if (!clock.appealOpen) throw new AppError(409, 'invalid_transition', 'no refusal to appeal, or the 20 days to appeal are over', { appealFileBy: clock.appealFileBy });
      return { appealFiledAt: now, appealGrounds: grounds };
    },
  }, now),

  decideAppeal: (principal: Principal, id: number, outcome: 'upheld' | 'overturned', reasons: string, now = new Date()) => stepInformationRequest(principal, id, {
    action: 'decide_appeal', actor: 'head', note: reasons,
    patch: () => ({ appealDecidedAt: now, appealOutcome: outcome, appealReasons: reasons }),
    notice: (r) => ({ kind: 'information_appeal_decided', reference: r.reference!, outcome, reasons }),
  }, now),
};

/** The officer attaches a PDF of the answer (same checks as a dossier's documents) while the request waits for it. */
export async function attachAnswerDocument(principal: Principal, request: InformationRequest, file: ReceivedFile, store: DocumentStore, inspection: PdfInspection): Promise<CaseDocument> {
  try {
    if (!['received', 'extended', 'appeal_decided'].includes(request.status)) throw new AppError(409, 'invalid_transition', `documents cannot be attached to a request that is ${request.status}`);
    const { pageCount } = await inspection.inspect(file.tempPath, file.size);
    // Synced and marked pending until the row commits: a crash in between leaves no unreferenced file after the next start.
    return await store.keepFor([file], ([storagePath]) => writeTransaction(InformationRequest.sequelize!, (transaction) => CaseDocument.create({
      caseType: INFORMATION_CASE, caseId: request.id, sha256: file.sha256, size: file.size, pageCount, fileName: file.fileName, storagePath: storagePath!, uploadedById: principal.userId,
    }, { transaction })));
  } finally {
    await store.discard(file);
  }
}
