import { Op, type Transaction } from 'sequelize';
import { Municipality, OutboxMessage } from '../../db/models';
import { forUpdate } from '../../db/transactions';
import { municipalMonth } from '../../protocol/municipalTime';
import type { SmsQuotaView } from '../../protocol/municipalities';
import { smsAllowed } from '../domain/sms';

/** A municipality's SMS this month (Tunis time): `sent` counts every one queued to go, `dropped` the ones over the quota. */
async function monthCounts(municipalityId: number, now: Date, transaction?: Transaction): Promise<{ month: string; used: number; dropped: number }> {
  const { month, start } = municipalMonth(now);
  const where = { municipalityId, channel: 'sms', createdAt: { [Op.gte]: start } };
  const [used, dropped] = await Promise.all([
    OutboxMessage.count({ where: { ...where, droppedAt: null }, transaction }),
    OutboxMessage.count({ where: { ...where, droppedAt: { [Op.ne]: null } }, transaction }),
  ]);
  return { month, used, dropped };
}

/**
 * How many of `wanted` SMS the municipality may still queue this month. Its row is locked for
 * the rest of the caller's transaction, so two notices at once cannot both take the last one.
 */
export async function smsAllowance(municipalityId: number, wanted: number, transaction: Transaction, now = new Date()): Promise<number> {
  const municipality = await Municipality.findByPk(municipalityId, forUpdate(transaction));
  const quota = municipality?.smsMonthlyQuota ?? null;
  if (quota === null) return wanted;
  return smsAllowed(quota, (await monthCounts(municipalityId, now, transaction)).used, wanted);
}

/** The quota and this month's figures, for the municipality's admin. */
export async function smsQuotaOf(municipality: Municipality, now = new Date()): Promise<SmsQuotaView> {
  return { quota: municipality.smsMonthlyQuota ?? null, ...(await monthCounts(municipality.id, now)) };
}
