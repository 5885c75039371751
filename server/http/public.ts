import { Router } from 'express';
import type { MinutesService } from '../services/minutes';
import { publicUpcomingSessions } from '../services/sessions';

/**
 * /api/public: what anyone may read — upcoming sessions and their agenda, and the opinions
 * of finalized minutes, by dossier reference only: no personal data.
 */
export function publicRouter(minutes: MinutesService): Router {
  const router = Router();
  router.get('/sessions', async (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=60');
    res.json(await publicUpcomingSessions());
  });
  router.get('/opinions', async (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=60');
    res.json(await minutes.publishedOpinions());
  });
  return router;
}
