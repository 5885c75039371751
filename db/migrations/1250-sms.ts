import { DataTypes } from 'sequelize';
import type { Migration } from './index';

/**
 * SMS: a person's mobile number (E.164, +216…) and whether they want notices by SMS; the
 * outbox carries both channels, so an SMS is written in the same transaction as the email.
 */
export const sms: Migration = {
  name: '1250-sms',
  async up({ context: q }) {
    await q.addColumn('users', 'smsNumber', { type: DataTypes.STRING(16), allowNull: true });
    await q.addColumn('users', 'smsOptIn', { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false });
    await q.addColumn('outbox', 'channel', { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'email' });
  },
  async down({ context: q }) {
    await q.removeColumn('outbox', 'channel');
    await q.removeColumn('users', 'smsOptIn');
    await q.removeColumn('users', 'smsNumber');
  },
};
