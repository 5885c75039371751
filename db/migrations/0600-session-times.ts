import { DataTypes } from 'sequelize';
import type { Migration } from './index';

/** When the chair opened and ended a session (the minutes and the waiting room show them). */
export const sessionTimes: Migration = {
  name: '0600-session-times',
  async up({ context: q }) {
    await q.addColumn('committee_sessions', 'openedAt', { type: DataTypes.DATE, allowNull: true });
    await q.addColumn('committee_sessions', 'closedAt', { type: DataTypes.DATE, allowNull: true });
  },
  async down({ context: q }) {
    await q.removeColumn('committee_sessions', 'closedAt');
    await q.removeColumn('committee_sessions', 'openedAt');
  },
};
