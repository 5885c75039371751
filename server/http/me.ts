import { Router } from 'express';
import { UpdateContactBody } from '../../protocol/personalData';
import { correctContact, personalDataOf } from '../services/personalData';
import { personalDataPdf } from '../services/personalDataPdf';
import { parse } from '../validation';
import { requireLogin } from './middleware';

/**
 * /api/me: a person's own data (Law 2004-63): everything Lajna holds about them, as JSON or
 * as a PDF to read, and the correction of their contact data.
 */
export function meRouter(): Router {
  const router = Router();
  router.use(requireLogin);

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

  return router;
}
