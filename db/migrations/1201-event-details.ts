import { DataTypes } from 'sequelize';
import type { Migration } from './index';

/**
 * What a timeline step was about, as data rather than text in its note: the checklist items
 * a request for documents names, the session a dossier was scheduled on. The page names them
 * in the reader's language (the note kept `[property_certificate]` and `session 2`).
 */
export const eventDetails: Migration = {
  name: '1201-event-details',
  async up({ context: q }) {
    await q.addColumn('dossier_events', 'details', { type: DataTypes.TEXT, allowNull: true });
  },
  async down({ context: q }) {
    await q.removeColumn('dossier_events', 'details');
  },
};
