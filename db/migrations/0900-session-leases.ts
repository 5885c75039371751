import { DataTypes } from 'sequelize';
import type { Migration } from './index';

/** Which app node holds each live session's meeting, until when (renewed by its holder). */
export const sessionLeases: Migration = {
  name: '0900-session-leases',
  async up({ context: q }) {
    await q.createTable('session_leases', {
      sessionId: { type: DataTypes.INTEGER, primaryKey: true, allowNull: false, references: { model: 'committee_sessions', key: 'id' }, onDelete: 'CASCADE' },
      nodeId: { type: DataTypes.STRING(64), allowNull: false },
      expiresAt: { type: DataTypes.DATE, allowNull: false },
    });
    await q.addIndex('session_leases', ['nodeId']);
  },
  async down({ context: q }) {
    await q.dropTable('session_leases');
  },
};
