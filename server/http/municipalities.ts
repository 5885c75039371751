import { Router } from 'express';
import { z } from 'zod';
import { Municipality } from '../../db/models';
import { IdParam } from '../../protocol/ids';
import { SeatBody, SmsQuotaBody } from '../../protocol/municipalities';
import { writeTransaction } from '../../db/transactions';
import { notFound } from '../errors';
import { appendAudit } from '../services/audit';
import type { CommitteeSeats } from '../services/CommitteeSeats';
import { committeeOf, municipalityList } from '../services/municipalities';
import { smsQuotaOf } from '../services/smsQuota';
import { parse } from '../validation';
import { requireRole } from './middleware';

const IdParams = z.object({ id: IdParam });
const SeatParams = z.object({ id: IdParam, userId: IdParam });

/**
 * /api/municipalities: the public list, and a committee's composition for its own staff and
 * members; its secretary (or admin) gives, changes and takes away seats.
 */
export function municipalitiesRouter(seats: CommitteeSeats): Router {
  const router = Router();
  const office = requireRole(['secretary'], async (req) => {
    const { id } = parse(SeatParams, req.params);
    if (!(await Municipality.findByPk(id))) throw notFound('municipality');
    return id;
  });

  const admin = requireRole(['admin'], (req) => parse(IdParams, req.params).id);

  router.get('/', async (_req, res) => {
    res.json(await municipalityList());
  });

  router.get(
    '/:id/committee',
    requireRole(['secretary', 'chair', 'member'], async (req) => {
      const { id } = parse(IdParams, req.params);
      if (!(await Municipality.findByPk(id))) throw notFound('municipality');
      return id;
    }),
    async (req, res) => {
      res.json(await committeeOf(parse(IdParams, req.params).id));
    },
  );

  router.put('/:id/committee/seats/:userId', office, async (req, res) => {
    const { id, userId } = parse(SeatParams, req.params);
    await seats.set(req.principal!.userId, id, userId, parse(SeatBody, req.body));
    res.json(await committeeOf(id));
  });

  router.delete('/:id/committee/seats/:userId', office, async (req, res) => {
    const { id, userId } = parse(SeatParams, req.params);
    await seats.remove(req.principal!.userId, id, userId);
    res.status(204).end();
  });
  // The monthly SMS quota: its admin sets it and sees this month's use (README, SMS).
  router.get('/:id/sms-quota', admin, async (req, res) => {
    const municipality = await Municipality.findByPk(parse(IdParams, req.params).id);
    if (!municipality) throw notFound('municipality');
    res.json(await smsQuotaOf(municipality));
  });

  router.put('/:id/sms-quota', admin, async (req, res) => {
    const { id } = parse(IdParams, req.params);
    const { quota } = parse(SmsQuotaBody, req.body);
    const municipality = await writeTransaction(Municipality.sequelize!, async (transaction) => {
      const row = await Municipality.findByPk(id, { transaction });
      if (!row) throw notFound('municipality');
      await row.update({ smsMonthlyQuota: quota }, { transaction });
      await appendAudit(transaction, { actorId: req.principal!.userId, action: 'sms_quota.changed', subject: `municipality:${id}`, payload: { quota } });
      return row;
    });
    res.json(await smsQuotaOf(municipality));
  });
  return router;
}
