import { DataTypes } from 'sequelize';
import type { Migration } from './index';

/**
 * The heartbeat of attendance: the last time a node knew a member of an open stretch was
 * there, and whether a stretch was closed by the server stopping rather than by the member.
 */
export const attendanceHeartbeat: Migration = {
  name: '0500-attendance-heartbeat',
  async up({ context: q }) {
    await q.addColumn('attendance_intervals', 'heartbeatAt', { type: DataTypes.DATE, allowNull: true });
    await q.addColumn('attendance_intervals', 'interrupted', { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false });
  },
  async down({ context: q }) {
    await q.removeColumn('attendance_intervals', 'interrupted');
    await q.removeColumn('attendance_intervals', 'heartbeatAt');
  },
};
