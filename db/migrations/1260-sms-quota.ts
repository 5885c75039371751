import { DataTypes } from 'sequelize';
import type { Migration } from './index';

/**
 * A municipality's monthly SMS quota (null: no limit), the municipality each SMS counts
 * against, and when one over the quota was dropped instead of sent (the email still goes).
 */
export const smsQuota: Migration = {
  name: '1260-sms-quota',
  async up({ context: q }) {
    await q.addColumn('municipalities', 'smsMonthlyQuota', { type: DataTypes.INTEGER, allowNull: true });
    await q.addColumn('outbox', 'municipalityId', { type: DataTypes.INTEGER, allowNull: true, references: { model: 'municipalities', key: 'id' } });
    await q.addColumn('outbox', 'droppedAt', { type: DataTypes.DATE, allowNull: true });
    await q.addIndex('outbox', ['municipalityId', 'channel', 'createdAt'], { name: 'outbox_sms_quota' });
  },
  async down({ context: q }) {
    await q.removeIndex('outbox', 'outbox_sms_quota');
    await q.removeColumn('outbox', 'droppedAt');
    await q.removeColumn('outbox', 'municipalityId');
    await q.removeColumn('municipalities', 'smsMonthlyQuota');
  },
};
