import { DataTypes } from 'sequelize';
import type { Migration } from './index';

const id = { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false };
const ref = (model: string, allowNull = false) => ({ type: DataTypes.INTEGER, allowNull, references: { model, key: 'id' } });

/**
 * What a live meeting leaves behind beyond attendance and votes: where the presentation
 * stands (so a restarted server reopens at the presenter's place), which document versions
 * were shown for each item, the committee's opinion on each dossier, and the
 * municipality's decision as a record of its own.
 */
export const meetingRecords: Migration = {
  name: '0400-meeting-records',
  async up({ context: q }) {
    await q.createTable('session_presentations', {
      sessionId: { type: DataTypes.INTEGER, primaryKey: true, allowNull: false, references: { model: 'committee_sessions', key: 'id' } },
      currentItemId: ref('agenda_items', true),
      presenterId: ref('users', true),
      view: { type: DataTypes.TEXT, allowNull: true },
      updatedAt: { type: DataTypes.DATE, allowNull: false },
    });
    await q.createTable('shown_documents', {
      id, agendaItemId: ref('agenda_items'), documentVersionId: ref('document_versions'), shownById: ref('users'),
      sha256: { type: DataTypes.STRING(64), allowNull: false },
      firstShownAt: { type: DataTypes.DATE, allowNull: false },
    });
    // A version is recorded once per item, when it is first shown.
    await q.addIndex('shown_documents', ['agendaItemId', 'documentVersionId'], { unique: true });
    await q.addColumn('votes', 'reasons', { type: DataTypes.TEXT, allowNull: false, defaultValue: '' });
    await q.createTable('committee_opinions', {
      id, dossierId: ref('dossiers'), agendaItemId: ref('agenda_items'),
      voteId: { ...ref('votes'), unique: true },
      opinion: { type: DataTypes.STRING(32), allowNull: false },
      conditions: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
      reasons: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
      documents: { type: DataTypes.TEXT, allowNull: false },
      givenAt: { type: DataTypes.DATE, allowNull: false },
    });
    await q.addIndex('committee_opinions', ['dossierId']);
    await q.createTable('permit_decisions', {
      id, dossierId: { ...ref('dossiers'), unique: true }, opinionId: ref('committee_opinions'), recordedById: ref('users'),
      outcome: { type: DataTypes.STRING(16), allowNull: false },
      arreteNumber: { type: DataTypes.STRING(64), allowNull: false },
      signedOn: { type: DataTypes.DATEONLY, allowNull: false },
      notes: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
      recordedAt: { type: DataTypes.DATE, allowNull: false },
    });
  },
  async down({ context: q }) {
    await q.dropTable('permit_decisions');
    await q.dropTable('committee_opinions');
    await q.removeColumn('votes', 'reasons');
    await q.dropTable('shown_documents');
    await q.dropTable('session_presentations');
  },
};
