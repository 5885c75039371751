import { DataTypes } from 'sequelize';
import type { Migration } from './index';

/** Each audit entry's HMAC with a key kept outside the database (server/services/audit.ts). */
export const auditMac: Migration = {
  name: '1301-audit-mac',
  async up({ context: q }) {
    await q.addColumn('audit_entries', 'mac', { type: DataTypes.STRING(64), allowNull: true });
  },
  async down({ context: q }) {
    await q.removeColumn('audit_entries', 'mac');
  },
};
