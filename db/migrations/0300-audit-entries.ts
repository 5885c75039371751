import { DataTypes } from 'sequelize';
import type { Migration } from './index';

export const auditEntries: Migration = {
  name: '0300-audit-entries',
  async up({ context: q }) {
    await q.createTable('audit_entries', {
      seq: { type: DataTypes.INTEGER, primaryKey: true, allowNull: false },
      at: { type: DataTypes.STRING(32), allowNull: false },
      // No foreign key: the log outlives the records it speaks of (a deleted account stays named by id).
      actorId: { type: DataTypes.INTEGER, allowNull: true },
      action: { type: DataTypes.STRING(64), allowNull: false },
      subject: { type: DataTypes.STRING(128), allowNull: false },
      payload: { type: DataTypes.TEXT, allowNull: false },
      prevHash: { type: DataTypes.STRING(64), allowNull: false },
      hash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
    });
    await q.addIndex('audit_entries', ['subject']);
  },
  async down({ context: q }) {
    await q.dropTable('audit_entries');
  },
};
