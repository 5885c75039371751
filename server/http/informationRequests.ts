import { Router } from 'express';
import { z } from 'zod';
import {
  AnswerBody, AppealBody, CreateInformationRequestBody, DecideAppealBody, ExtendBody, INFORMATION_STATUSES, RedirectBody, RefuseBody,
} from '../../protocol/informationRequests';
import { MessageBody } from '../../protocol/dossiers';
import { IdParam } from '../../protocol/ids';
import { hasRole, type Principal } from '../domain/access';
import { AppError, forbidden, notFound } from '../errors';
import { CaseDocument } from '../../db/models';
import type { DocumentStore } from '../services/documentStore';
import {
  attachAnswerDocument, INFORMATION_CASE, informationRequestFor, informationSteps, receiveInformationRequest, refusalGroundsOf,
} from '../services/informationRequests';
import { postCaseMessage } from '../services/caseRecords';
import { informationRequestList, informationRequestView } from '../services/informationViews';
import type { PdfInspection } from '../services/pdfInspection';
import { parse } from '../validation';
import { requireLogin } from './middleware';

const IdParams = z.object({ id: IdParam });
const DocumentParams = IdParams.extend({ documentId: IdParam });
const ListQuery = z.object({ status: z.enum(INFORMATION_STATUSES).optional() });
const GroundsQuery = z.object({ municipalityId: IdParam });

/**
 * /api/information-requests: a person files a request for information (Law 2016-22) and
 * follows it; the municipality's information officer answers it within the delay, and the
 * head of the body (an admin) decides an appeal. Every route with an id answers 404 to anyone
 * who may not see that request.
 */
export function informationRequestsRouter(store: DocumentStore, inspection: PdfInspection): Router {
  const router = Router();
  router.use(requireLogin);

  router.get('/refusal-grounds', async (req, res) => {
    res.json(await refusalGroundsOf(parse(GroundsQuery, req.query).municipalityId));
  });

  router.get('/', async (req, res) => {
    res.json(await informationRequestList(req.principal!, parse(ListQuery, req.query).status));
  });

  router.post('/', async (req, res) => {
    const body = parse(CreateInformationRequestBody, req.body);
    const request = await receiveInformationRequest(req.principal!, body);
    res.status(201).json(await informationRequestView(request, body.desk ? 'officer' : 'requester'));
  });

  router.get('/:id', async (req, res) => {
    const { request, viewer } = await informationRequestFor(req.principal, parse(IdParams, req.params).id);
    res.json(await informationRequestView(request, viewer));
  });

  /** The officer's steps: each needs the officer's view of the request. */
  const officerStep = (path: string, take: (principal: Principal, id: number, body: unknown) => Promise<unknown>) => {
    router.post(`/:id/${path}`, async (req, res) => {
      const { request, viewer } = await informationRequestFor(req.principal, parse(IdParams, req.params).id);
      if (viewer !== 'officer') throw forbidden('only the information officer answers requests');
      await take(req.principal!, request.id, req.body);
      res.json(await informationRequestView(await request.reload(), viewer));
    });
  };
  officerStep('extend', (p, id, body) => informationSteps.extend(p, id, parse(ExtendBody, body).reason));
  officerStep('redirect', (p, id, body) => {
    const b = parse(RedirectBody, body);
    return informationSteps.redirect(p, id, b.referredTo, b.note);
  });
  officerStep('answer', (p, id, body) => informationSteps.answer(p, id, parse(AnswerBody, body ?? {}).note));
  officerStep('refuse', (p, id, body) => {
    const b = parse(RefuseBody, body);
    return informationSteps.refuse(p, id, b.ground, b.reasons);
  });

  router.post('/:id/appeal', async (req, res) => {
    const { request, viewer } = await informationRequestFor(req.principal, parse(IdParams, req.params).id);
    if (viewer !== 'requester') throw forbidden('only the requester appeals');
    await informationSteps.appeal(req.principal!, request.id, parse(AppealBody, req.body).grounds);
    res.json(await informationRequestView(await request.reload(), viewer));
  });

  /** The head of the body decides the appeal (recorded by an admin of the municipality). */
  router.post('/:id/appeal/decision', async (req, res) => {
    const { request, viewer } = await informationRequestFor(req.principal, parse(IdParams, req.params).id);
    if (!hasRole(req.principal, ['admin'], request.municipalityId)) throw forbidden('the head of the body decides an appeal');
    const body = parse(DecideAppealBody, req.body);
    await informationSteps.decideAppeal(req.principal!, request.id, body.outcome, body.reasons);
    res.json(await informationRequestView(await request.reload(), viewer));
  });

  router.post('/:id/messages', async (req, res) => {
    const { request, viewer } = await informationRequestFor(req.principal, parse(IdParams, req.params).id);
    // The officer's message reaches the requester by email.
    await postCaseMessage(INFORMATION_CASE, request, req.principal!.userId, parse(MessageBody, req.body).body, viewer === 'officer' ? request.requesterId : null);
    res.status(201).json((await informationRequestView(request, viewer)).messages);
  });

  /** The officer attaches a PDF of the answer (multipart, field `file`). */
  router.post('/:id/documents', async (req, res) => {
    const { request, viewer } = await informationRequestFor(req.principal, parse(IdParams, req.params).id);
    if (viewer !== 'officer') throw forbidden('only the information officer attaches the answer');
    const file = await store.receive(req);
    const doc = await attachAnswerDocument(req.principal!, request, file, store, inspection);
    res.status(201).json({ id: doc.id, fileName: doc.fileName, sha256: doc.sha256, size: Number(doc.size), pageCount: doc.pageCount, createdAt: doc.createdAt.toISOString() });
  });

  router.get('/:id/documents/:documentId', async (req, res) => {
    const params = parse(DocumentParams, req.params);
    const { request } = await informationRequestFor(req.principal, params.id);
    const doc = await CaseDocument.findOne({ where: { id: params.documentId, caseType: INFORMATION_CASE, caseId: request.id } });
    if (!doc) throw notFound('document');
    const bytes = await store.read(doc.sha256);
    if (!bytes) throw new AppError(404, 'not_found', 'document content not found');
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(doc.fileName)}`);
    res.setHeader('Cache-Control', 'private, no-store');
    res.end(bytes);
  });

  return router;
}
