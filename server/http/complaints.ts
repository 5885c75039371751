import { Router } from 'express';
import { z } from 'zod';
import { ComplaintPhoto } from '../../db/models';
import { AssignComplaintBody, COMPLAINT_STATUSES, CreateComplaintBody, RejectComplaintBody, ResolveComplaintBody } from '../../protocol/complaints';
import { MessageBody } from '../../protocol/dossiers';
import { IdParam } from '../../protocol/ids';
import type { Principal } from '../domain/access';
import { AppError, forbidden, notFound } from '../errors';
import { postCaseMessage } from '../services/caseRecords';
import { addComplaintPhoto, COMPLAINT_CASE, complaintCategoriesOf, complaintFor, complaintSteps, fileComplaint } from '../services/complaints';
import { complaintList, complaintView } from '../services/complaintViews';
import type { DocumentStore } from '../services/documentStore';
import { parse } from '../validation';
import { requireLogin } from './middleware';

const IdParams = z.object({ id: IdParam });
const PhotoParams = IdParams.extend({ photoId: IdParam });
const ListQuery = z.object({ status: z.enum(COMPLAINT_STATUSES).optional() });
const MunicipalityQuery = z.object({ municipalityId: IdParam });

/**
 * /api/complaints: a person reports a problem with a municipal service (category, words, a
 * map point or an address, up to three photos); the municipality's office (secretary, admin)
 * assigns it to a service, resolves or rejects it, and writes to the reporter. 404 to anyone
 * else, for every route with an id.
 */
export function complaintsRouter(store: DocumentStore, photoMaxBytes: number): Router {
  const router = Router();
  router.use(requireLogin);

  router.get('/categories', async (req, res) => {
    res.json(await complaintCategoriesOf(parse(MunicipalityQuery, req.query).municipalityId));
  });

  router.get('/', async (req, res) => {
    res.json(await complaintList(req.principal!, parse(ListQuery, req.query).status));
  });

  router.post('/', async (req, res) => {
    const complaint = await fileComplaint(req.principal!, parse(CreateComplaintBody, req.body));
    res.status(201).json(await complaintView(complaint, 'reporter'));
  });

  router.get('/:id', async (req, res) => {
    const { complaint, viewer } = await complaintFor(req.principal, parse(IdParams, req.params).id);
    res.json(await complaintView(complaint, viewer));
  });

  /** A photo (multipart, field `file`, JPEG or PNG up to PHOTO_MAX_MB), re-encoded without metadata. */
  router.post('/:id/photos', async (req, res) => {
    const { complaint, viewer } = await complaintFor(req.principal, parse(IdParams, req.params).id);
    if (viewer !== 'reporter') throw forbidden('only the reporter adds photos');
    const photo = await addComplaintPhoto(complaint, await store.receive(req, photoMaxBytes), store);
    res.status(201).json({ id: photo.id, width: photo.width, height: photo.height, size: photo.size });
  });

  router.get('/:id/photos/:photoId', async (req, res) => {
    const params = parse(PhotoParams, req.params);
    const { complaint } = await complaintFor(req.principal, params.id);
    const photo = await ComplaintPhoto.findOne({ where: { id: params.photoId, complaintId: complaint.id } });
    if (!photo) throw notFound('photo');
    const bytes = await store.read(photo.sha256);
    if (!bytes) throw new AppError(404, 'not_found', 'photo content not found');
    res.setHeader('Content-Type', 'image/jpeg');
    res.setHeader('Cache-Control', 'private, max-age=31536000, immutable');
    res.end(bytes);
  });

  const officeStep = (path: string, take: (p: Principal, id: number, body: unknown) => Promise<unknown>) => {
    router.post(`/:id/${path}`, async (req, res) => {
      const { complaint, viewer } = await complaintFor(req.principal, parse(IdParams, req.params).id);
      if (viewer !== 'office') throw forbidden('only the municipality\'s office handles reports');
      await take(req.principal!, complaint.id, req.body);
      res.json(await complaintView(await complaint.reload(), viewer));
    });
  };
  officeStep('assign', (p, id, body) => complaintSteps.assign(p, id, parse(AssignComplaintBody, body).service));
  officeStep('resolve', (p, id, body) => complaintSteps.resolve(p, id, parse(ResolveComplaintBody, body ?? {}).note));
  officeStep('reject', (p, id, body) => complaintSteps.reject(p, id, parse(RejectComplaintBody, body).reason));

  router.post('/:id/messages', async (req, res) => {
    const { complaint, viewer } = await complaintFor(req.principal, parse(IdParams, req.params).id);
    // The office's message reaches the reporter by email (an anonymous reporter too: the office never sees the address).
    await postCaseMessage(COMPLAINT_CASE, complaint, req.principal!.userId, parse(MessageBody, req.body).body, viewer === 'office' ? complaint.reporterId : null);
    res.status(201).json((await complaintView(complaint, viewer)).messages);
  });

  return router;
}
