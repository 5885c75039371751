import { DataTypes } from 'sequelize';
import type { Migration } from './index';

export const attendance: Migration = {
  name: '0200-attendance',
  async up({ context: q }) {
    await q.createTable('attendance_intervals', {
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
      sessionId: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'committee_sessions', key: 'id' }, onDelete: 'CASCADE' },
      userId: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'users', key: 'id' }, onDelete: 'CASCADE' },
      mode: { type: DataTypes.STRING(8), allowNull: false },
      joinedAt: { type: DataTypes.DATE, allowNull: false },
      leftAt: { type: DataTypes.DATE, allowNull: true },
    });
    await q.addIndex('attendance_intervals', ['sessionId', 'userId', 'joinedAt']);
  },
  async down({ context: q }) {
    await q.dropTable('attendance_intervals');
  },
};
