import { Router } from 'express';
import { Op } from 'sequelize';
import { z } from 'zod';
import { Dossier, DossierEvent, DossierMessage, type PermitDecision } from '../../db/models';
import { writeTransaction } from '../../db/transactions';
import { CreateDossierBody, DOSSIER_STATUSES, MessageBody, NoteBody, RequestDocumentsBody, UpdateDossierBody } from '../../protocol/dossiers';
import { IdParam } from '../../protocol/ids';
import { RecordDecisionBody } from '../../protocol/opinions';
import { lineText } from '../../protocol/text';
import { AppError, forbidden } from '../errors';
import { noticeComplete, noticeDocumentsRequested } from '../notifications/dossierNotices';
import { notifyApplicant } from '../notifications/outbox';
import { recordDecision } from '../services/decisions';
import type { DocumentStore } from '../services/documentStore';
import type { PdfInspection } from '../services/pdfInspection';
import type { RightsFeed } from '../services/RightsFeed';
import { dossierFor } from '../services/dossierAccess';
import {
  actorOf, addDocumentVersion, applyTransition, createDossier, dossierList, dossierTypes, dossierView, documentsOf, updateDraft, versionDetail,
  withdrawDossier,
} from '../services/dossiers';
import { receiptPdf } from '../services/receipt';
import { parse } from '../validation';
import { requireLogin } from './middleware';

const IdParams = z.object({ id: IdParam });
const ItemParams = IdParams.extend({ itemCode: lineText(32).min(1) });
const TypesQuery = z.object({ municipalityId: IdParam });
const ListQuery = z.object({ status: z.enum(DOSSIER_STATUSES).optional() });

/**
 * /api/dossiers: applicants create, fill and submit their dossiers; the office (secretary,
 * admin) works its municipality's queue. Every route with an id answers 404 to anyone who
 * may not see that dossier (services/dossierAccess).
 */
export function dossiersRouter(store: DocumentStore, inspection: PdfInspection, rights: RightsFeed, arretes?: { issue(decision: PermitDecision): Promise<unknown> }): Router {
  const router = Router();
  router.use(requireLogin);

  router.get('/types', async (req, res) => {
    res.json(await dossierTypes(parse(TypesQuery, req.query).municipalityId));
  });

  /** Applicant: their dossiers. Office: the queue of its municipalities (not drafts), most urgent first. */
  router.get('/', async (req, res) => {
    res.json(await dossierList(req.principal!, parse(ListQuery, req.query).status));
  });

  router.post('/', async (req, res) => {
    const dossier = await createDossier(req.principal!, parse(CreateDossierBody, req.body));
    res.status(201).json(await dossierView(dossier, 'applicant'));
  });

  router.get('/:id', async (req, res) => {
    const { dossier, viewer } = await dossierFor(req.principal, parse(IdParams, req.params).id);
    res.json(await dossierView(dossier, viewer));
  });

  router.patch('/:id', async (req, res) => {
    const { dossier, viewer } = await dossierFor(req.principal, parse(IdParams, req.params).id);
    await updateDraft(dossier, viewer, parse(UpdateDossierBody, req.body));
    res.json(await dossierView(dossier, viewer));
  });

  /** Submits a draft (gives it its reference), or resubmits an incomplete dossier after the requested uploads. */
  router.post('/:id/submit', async (req, res) => {
    const { dossier, viewer } = await dossierFor(req.principal, parse(IdParams, req.params).id);
    const actor = actorOf(viewer);
    if (!actor) throw forbidden();
    const action = dossier.status === 'incomplete' ? 'resubmit' : 'submit';
    const done = await applyTransition(req.principal!, dossier.id, actor, { action });
    res.json(await dossierView(done, viewer));
  });

  router.post('/:id/request-documents', async (req, res) => {
    const { dossier, viewer } = await dossierFor(req.principal, parse(IdParams, req.params).id);
    const body = parse(RequestDocumentsBody, req.body);
    const actor = actorOf(viewer);
    if (!actor) throw forbidden();
    const done = await applyTransition(req.principal!, dossier.id, actor, {
      action: 'request_documents', note: body.message, details: { items: body.items },
      also: async (d, transaction) => {
        await DossierMessage.create({ dossierId: d.id, authorId: req.principal!.userId, body: body.message }, { transaction });
        await noticeDocumentsRequested(d, body.message, body.items, transaction);
      },
    });
    res.json(await dossierView(done, viewer));
  });

  router.post('/:id/complete', async (req, res) => {
    const { dossier, viewer } = await dossierFor(req.principal, parse(IdParams, req.params).id);
    const { note } = parse(NoteBody, req.body ?? {});
    const actor = actorOf(viewer);
    if (!actor) throw forbidden();
    const done = await applyTransition(req.principal!, dossier.id, actor, {
      action: 'mark_complete', note,
      also: (d, transaction) => noticeComplete(d, transaction),
    });
    res.json(await dossierView(done, viewer));
  });

  router.post('/:id/withdraw', async (req, res) => {
    const { dossier, viewer } = await dossierFor(req.principal, parse(IdParams, req.params).id);
    const { note } = parse(NoteBody, req.body ?? {});
    const actor = actorOf(viewer);
    if (!actor) throw forbidden();
    const withdrawn = await withdrawDossier(req.principal!, dossier.id, actor, note);
    // A meeting that has it on its agenda shows it withdrawn at once (no item opened, no vote on it).
    rights.publish({ kind: 'dossier_withdrawn', dossierId: dossier.id });
    res.json(await dossierView(withdrawn, viewer));
  });

  /** The office records the municipality's decision (the arrêté) on the committee's opinion. */
  router.post('/:id/decision', async (req, res) => {
    const { dossier, viewer } = await dossierFor(req.principal, parse(IdParams, req.params).id);
    if (viewer !== 'office') throw forbidden('only the municipality\'s office records the decision');
    const decision = await recordDecision(req.principal!, dossier.id, parse(RecordDecisionBody, req.body));
    // The arrêté in Arabic and French, for the president to sign (server/signing/Arretes.ts).
    await arretes?.issue(decision);
    res.status(201).json(await dossierView(await dossier.reload(), viewer));
  });

  router.post('/:id/messages', async (req, res) => {
    const { dossier, viewer } = await dossierFor(req.principal, parse(IdParams, req.params).id);
    if (viewer === 'committee') throw forbidden();
    const { body } = parse(MessageBody, req.body);
    await writeTransaction(Dossier.sequelize!, async (transaction) => {
      await DossierMessage.create({ dossierId: dossier.id, authorId: req.principal!.userId, body }, { transaction });
      if (viewer === 'office') await notifyApplicant(dossier, { kind: 'office_message', reference: dossier.reference ?? String(dossier.id), message: body }, transaction);
    });
    res.status(201).json((await dossierView(dossier, viewer)).messages);
  });

  router.get('/:id/documents', async (req, res) => {
    const { dossier } = await dossierFor(req.principal, parse(IdParams, req.params).id);
    res.json(await documentsOf(dossier.id));
  });

  /** Uploads (multipart, field `file`) the PDF for a checklist item; a second upload is a new version. */
  router.put('/:id/documents/:itemCode', async (req, res) => {
    const params = parse(ItemParams, req.params);
    const { dossier, viewer } = await dossierFor(req.principal, params.id);
    const file = await store.receive(req);
    const version = await addDocumentVersion(req.principal!, dossier, viewer, params.itemCode, file, store, inspection);
    res.status(201).json(versionDetail(version, dossier.id, params.itemCode));
  });

  /** The submission receipt (PDF) with the documents and their sha256. */
  router.get('/:id/receipt', async (req, res) => {
    const { dossier, viewer } = await dossierFor(req.principal, parse(IdParams, req.params).id);
    if (viewer === 'committee') throw forbidden();
    const submitted = await DossierEvent.findOne({ where: { dossierId: dossier.id, action: { [Op.in]: ['submit', 'resubmit'] } }, order: [['id', 'DESC']] });
    if (!submitted || !dossier.reference) throw new AppError(409, 'invalid_transition', 'the dossier has not been submitted');
    const pdf = await receiptPdf(await dossierView(dossier, viewer), submitted.at);
    // attachment: a click downloads the file where the applicant is, instead of a blank tab.
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="recu-${dossier.reference}.pdf"`);
    res.setHeader('Cache-Control', 'private, no-store');
    res.end(pdf);
  });

  return router;
}
