import { DataTypes } from 'sequelize';
import type { Migration } from './index';

export const committeeSessions: Migration = {
  name: '0002-committee-sessions',
  async up({ context: q }) {
    await q.createTable('committee_sessions', {
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
      committeeId: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'committees', key: 'id' }, onDelete: 'CASCADE' },
      startsAt: { type: DataTypes.DATE, allowNull: false },
      mode: { type: DataTypes.STRING(8), allowNull: false },
      location: { type: DataTypes.STRING, allowNull: false, defaultValue: '' },
      status: { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'planned' },
      createdAt: { type: DataTypes.DATE, allowNull: false },
      updatedAt: { type: DataTypes.DATE, allowNull: false },
    });
    await q.addIndex('committee_sessions', ['committeeId', 'startsAt']);
  },
  async down({ context: q }) {
    await q.dropTable('committee_sessions');
  },
};
