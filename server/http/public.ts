import { Router } from 'express';
import { publicUpcomingSessions } from '../services/sessions';

/** /api/public: what anyone may read — upcoming sessions and their agenda by reference number, no personal data. */
export function publicRouter(): Router {
  const router = Router();
  router.get('/sessions', async (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=60');
    res.json(await publicUpcomingSessions());
  });
  return router;
}
