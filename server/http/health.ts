import { Router } from 'express';
import type { Sequelize } from 'sequelize';
import type { WorkerPool } from '../../sfu/WorkerPool';

/** GET /api/health: is the database answering, which mediasoup workers run. */
export function healthRouter(sequelize: Sequelize, pool: WorkerPool): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    const database = await sequelize
      .query('SELECT 1')
      .then(() => ({ ok: true, dialect: sequelize.getDialect() }))
      .catch((e: Error) => ({ ok: false, dialect: sequelize.getDialect(), error: e.message }));
    const workers = pool.entries.map((e) => ({ pid: e.worker.pid, alive: !e.worker.closed && !e.worker.died }));
    const ok = database.ok && workers.some((w) => w.alive);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', database, mediasoup: { count: workers.length, workers } });
  });
  return router;
}
