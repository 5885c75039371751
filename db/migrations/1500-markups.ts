import { DataTypes } from 'sequelize';
import type { Migration } from './index';

/**
 * Markups drawn on the shared page (numbered per agenda item, keyed to the document version
 * drawn on) and the scales of pages (a member's calibration, or the file's /VP /Measure),
 * keyed by content: the same file has the same drawing whatever version row holds it.
 */
export const markups: Migration = {
  name: '1500-markups',
  async up({ context: q }) {
    await q.createTable('markups', {
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
      agendaItemId: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'agenda_items', key: 'id' } },
      number: { type: DataTypes.INTEGER, allowNull: false },
      documentVersionId: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'document_versions', key: 'id' } },
      sha256: { type: DataTypes.STRING(64), allowNull: false },
      page: { type: DataTypes.INTEGER, allowNull: false },
      kind: { type: DataTypes.STRING(16), allowNull: false },
      color: { type: DataTypes.STRING(16), allowNull: false },
      points: { type: DataTypes.TEXT, allowNull: false },
      text: { type: DataTypes.TEXT, allowNull: true },
      measurement: { type: DataTypes.TEXT, allowNull: true },
      authorId: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'users', key: 'id' } },
      createdAt: { type: DataTypes.DATE, allowNull: false },
      deletedAt: { type: DataTypes.DATE, allowNull: true },
      deletedById: { type: DataTypes.INTEGER, allowNull: true, references: { model: 'users', key: 'id' } },
    });
    // One number per item: two concurrent creates cannot both take it.
    await q.addIndex('markups', ['agendaItemId', 'number'], { unique: true });
    await q.createTable('page_scales', {
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
      sha256: { type: DataTypes.STRING(64), allowNull: false },
      page: { type: DataTypes.INTEGER, allowNull: false },
      source: { type: DataTypes.STRING(16), allowNull: false },
      metresPerPoint: { type: DataTypes.DOUBLE, allowNull: false },
      ratio: { type: DataTypes.DOUBLE, allowNull: true },
      calibratedById: { type: DataTypes.INTEGER, allowNull: true, references: { model: 'users', key: 'id' } },
      setAt: { type: DataTypes.DATE, allowNull: false },
    });
    await q.addIndex('page_scales', ['sha256', 'page', 'source'], { unique: true });
    // Files whose /VP /Measure dictionaries were read (found or not): read once per content.
    await q.createTable('pdf_measure_scans', {
      sha256: { type: DataTypes.STRING(64), primaryKey: true, allowNull: false },
      scannedAt: { type: DataTypes.DATE, allowNull: false },
    });
  },
  async down({ context: q }) {
    await q.dropTable('pdf_measure_scans');
    await q.dropTable('page_scales');
    await q.dropTable('markups');
  },
};
