import { Router } from 'express';
import { z } from 'zod';
import type { AuditWatch } from '../services/AuditWatch';
import { parse } from '../validation';
import { requireRole } from './middleware';

const StatusQuery = z.object({ now: z.literal('1').optional() }).strict();

/** /api/audit: whether the audit log verifies, as last checked (at start, then hourly, or now with ?now=1): admins only. */
export function auditRouter(watch: AuditWatch): Router {
  const router = Router();
  router.get('/', requireRole(['admin']), async (req, res) => {
    const status = parse(StatusQuery, req.query).now ? await watch.check() : watch.status;
    res.setHeader('Cache-Control', 'no-store');
    res.json(status);
  });
  return router;
}
