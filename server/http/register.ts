import { Router } from 'express';
import { z } from 'zod';
import { IdParam } from '../../protocol/ids';
import { complaintStatistics, publicComplaints } from '../services/complaintViews';
import { informationRegister, informationStatistics } from '../services/informationViews';
import { parse } from '../validation';

const MunicipalityQuery = z.object({ municipalityId: IdParam });
const StatisticsQuery = MunicipalityQuery.extend({ year: z.coerce.number().int().min(2016).max(2100) });

/**
 * /api/register: what anyone may read of the cases beside permits, without the identity of
 * whoever filed them: the register of access-to-information requests and its yearly figures,
 * the reports by category and neighbourhood with the median time to resolve them.
 */
export function registerRouter(): Router {
  const router = Router();
  router.get('/information-requests', async (req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=60');
    res.json(await informationRegister(parse(MunicipalityQuery, req.query).municipalityId));
  });
  router.get('/information-requests/statistics', async (req, res) => {
    const q = parse(StatisticsQuery, req.query);
    res.setHeader('Cache-Control', 'public, max-age=60');
    res.json(await informationStatistics(q.municipalityId, q.year));
  });
  router.get('/complaints', async (req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=60');
    res.json(await publicComplaints(parse(MunicipalityQuery, req.query).municipalityId));
  });
  router.get('/complaints/statistics', async (req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=60');
    res.json(await complaintStatistics(parse(MunicipalityQuery, req.query).municipalityId));
  });
  return router;
}
