import net from 'node:net';
import { Router, type Request } from 'express';
import type { Sequelize } from 'sequelize';
import type { HealthView } from '../../protocol/health';
import type { WorkerPool } from '../../sfu/WorkerPool';

/** A caller on this machine (req.ip: the client's address, through the trusted proxies of TRUST_PROXY). */
function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return address === '::1' || (net.isIPv4(v4) && v4.startsWith('127.'));
}

const mayReadDetails = (req: Request) => isLoopback(req.ip) || !!req.principal?.memberships.some((m) => m.role === 'admin');

/** GET /api/health: is the database answering, are mediasoup workers running (details: see HealthView). */
export function healthRouter(sequelize: Sequelize, pool: WorkerPool): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const error = await sequelize.query('SELECT 1').then(() => undefined, (e: Error) => e.message);
    const workers = pool.entries.map((e) => ({ pid: e.worker.pid, alive: !e.worker.closed && !e.worker.died }));
    const alive = workers.filter((w) => w.alive).length;
    const ok = error === undefined && alive > 0;
    const details = mayReadDetails(req);
    const body: HealthView = {
      status: ok ? 'ok' : 'degraded',
      database: { ok: error === undefined, ...(details ? { dialect: sequelize.getDialect(), ...(error === undefined ? {} : { error }) } : {}) },
      mediasoup: { count: workers.length, alive, ...(details ? { workers } : {}) },
    };
    res.setHeader('Cache-Control', 'no-store');
    res.status(ok ? 200 : 503).json(body);
  });
  return router;
}
