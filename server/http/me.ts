import { Router } from 'express';
import { z } from 'zod';
import { Membership } from '../../db/models';
import { MyCasesQuery } from '../../protocol/cases';
import { IdParam } from '../../protocol/ids';
import { hasRole } from '../domain/access';
import { notFound } from '../errors';
import { SmsSettingsBody, UpdateContactBody } from '../../protocol/personalData';
import { myCases } from '../services/caseLists';
import { correctContact, erasureAnswer, personalDataOf, setSms, smsOf } from '../services/personalData';
import { personalDataPdf } from '../services/personalDataPdf';
import { parse } from '../validation';
import { requireLogin } from './middleware';

/**
 * /api/me: a person's own cases, and their own data (Law 2004-63): everything Lajna holds about them, as JSON or
 * as a PDF to read, the correction of their contact data, and their SMS number and choice.
 */
export function meRouter(): Router {
  const router = Router();
  router.use(requireLogin);

  /** Every case of theirs (permits, requests for information, complaints), the most recently active first, a page at a time. */
  router.get('/cases', async (req, res) => {
    res.json(await myCases(req.principal!, parse(MyCasesQuery, req.query)));
  });

  router.get('/data', async (req, res) => {
    res.setHeader('Content-Disposition', 'attachment; filename="lajna-mes-donnees.json"');
    res.setHeader('Cache-Control', 'private, no-store');
    res.json(await personalDataOf(req.principal!.userId));
  });

  router.get('/data.pdf', async (req, res) => {
    const pdf = await personalDataPdf(await personalDataOf(req.principal!.userId));
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', 'attachment; filename="lajna-mes-donnees.pdf"');
    res.setHeader('Cache-Control', 'private, no-store');
    res.end(pdf);
  });

  router.patch('/contact', async (req, res) => {
    await correctContact(req.principal!.userId, parse(UpdateContactBody, req.body));
    res.json((await personalDataOf(req.principal!.userId)).account);
  });

  router.get('/sms', async (req, res) => {
    res.json(await smsOf(req.principal!.userId));
  });

  router.put('/sms', async (req, res) => {
    res.json(await setSms(req.principal!.userId, parse(SmsSettingsBody, req.body)));
  });

  return router;
}

const PersonParams = z.object({ userId: IdParam });

/**
 * /api/people/:userId/erasure: for an admin of a municipality the person belongs to, the
 * answer to their deletion request: each record, whether it may be deleted, anonymised or
 * must be kept, and why.
 */
export function peopleRouter(): Router {
  const router = Router();
  router.use(requireLogin);
  router.get('/:userId/erasure', async (req, res) => {
    const { userId } = parse(PersonParams, req.params);
    const theirs = await Membership.findAll({ where: { userId }, attributes: ['municipalityId'] });
    if (!theirs.some((m) => hasRole(req.principal, ['admin'], m.municipalityId))) {
      throw notFound('person');
    }
    res.json(await erasureAnswer(userId));
  });
  return router;
}
