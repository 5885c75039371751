import { Router } from 'express';
import { OfficeCasesQuery } from '../../protocol/cases';
import { officeCases } from '../services/caseLists';
import { parse } from '../validation';
import { requireLogin } from './middleware';

/**
 * /api/office: the municipality's one queue over every kind of case its roles give the asker
 * (`?type=dossier|information_request|complaint|all`), the most urgent first, a page at a time.
 */
export function officeRouter(): Router {
  const router = Router();
  router.use(requireLogin);
  router.get('/cases', async (req, res) => {
    res.json(await officeCases(req.principal!, parse(OfficeCasesQuery, req.query)));
  });
  return router;
}
