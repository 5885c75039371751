import { Router } from 'express';
import { z } from 'zod';
import { Dossier } from '../../db/models';
import { IdParam } from '../../protocol/ids';
import { ArreteListQuery, ArretePdfQuery, SignArreteBody, type ArreteAwaitingSignature } from '../../protocol/signing';
import { forbidden, notFound } from '../errors';
import { dossierFor } from '../services/dossierAccess';
import { Arretes } from '../signing/Arretes';
import type { Reauthentication } from '../signing/Reauthentication';
import { parse } from '../validation';
import { requireLogin } from './middleware';

const Params = z.object({ dossierId: IdParam }).strict();

/**
 * /api/arretes/:dossierId: the arrêté of a dossier's decision for those who may read the
 * dossier (its applicant, the office, the committee), its PDFs as they stand, and the
 * president's signature (their password typed again); /api/arretes?awaiting=president, the
 * arrêtés a president has yet to sign.
 */
export function arretesRouter(arretes: Arretes, reauth: Reauthentication): Router {
  const router = Router();
  router.use(requireLogin);

  // The president's list: what they have yet to sign.
  router.get('/', async (req, res) => {
    parse(ArreteListQuery, req.query);
    if (!req.principal!.memberships.some((m) => m.role === 'chair')) throw forbidden('only a municipality\'s president signs arrêtés');
    res.json(await Arretes.awaitingSignature(req.principal!) satisfies ArreteAwaitingSignature[]);
  });

  router.get('/:dossierId', async (req, res) => {
    const { dossier } = await dossierFor(req.principal, parse(Params, req.params).dossierId);
    res.json(await arretes.view(dossier.id));
  });

  router.get('/:dossierId/pdf', async (req, res) => {
    const { dossier } = await dossierFor(req.principal, parse(Params, req.params).dossierId);
    const { lang } = parse(ArretePdfQuery, req.query);
    const { pdf, reference } = await arretes.pdf(dossier.id, lang);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="arrete-${reference}-${lang}.pdf"`);
    res.setHeader('Cache-Control', 'private, no-cache');
    res.end(pdf);
  });

  router.post('/:dossierId/signature', async (req, res) => {
    const { dossierId } = parse(Params, req.params);
    const dossier = await Dossier.findByPk(dossierId);
    // The president of the dossier's municipality; anyone else does not learn that it exists.
    if (!dossier || !req.principal!.memberships.some((m) => m.municipalityId === dossier.municipalityId)) throw notFound('dossier');
    const { password } = parse(SignArreteBody, req.body);
    await reauth.check(req.principal!, password, req.ip ?? '');
    await arretes.sign(dossier.id, req.principal!, password);
    res.status(201).json(await arretes.view(dossier.id));
  });
  return router;
}
