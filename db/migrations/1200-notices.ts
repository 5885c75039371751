import { DataTypes } from 'sequelize';
import type { Migration } from './index';

/**
 * Notifications in both languages: the HTML part beside the plain text (each language in its
 * own direction), and what a message is about (`session:12`), so the office sees which
 * convocations were sent and when, and convening twice does not send twice.
 */
export const notices: Migration = {
  name: '1200-notices',
  async up({ context: q }) {
    await q.addColumn('outbox', 'html', { type: DataTypes.TEXT, allowNull: true });
    await q.addColumn('outbox', 'about', { type: DataTypes.STRING(64), allowNull: true });
    await q.addIndex('outbox', ['about', 'kind']);
  },
  async down({ context: q }) {
    await q.removeIndex('outbox', ['about', 'kind']);
    await q.removeColumn('outbox', 'about');
    await q.removeColumn('outbox', 'html');
  },
};
