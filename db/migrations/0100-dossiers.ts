import { DataTypes } from 'sequelize';
import type { Migration } from './index';

const id = { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false };
const ref = (table: string, allowNull = false) => ({
  type: DataTypes.INTEGER,
  allowNull,
  references: { model: table, key: 'id' },
  onDelete: allowNull ? 'SET NULL' : 'CASCADE',
});
const str = (n = 255) => ({ type: DataTypes.STRING(n), allowNull: false });

/** Intake: dossier types and checklists, dossiers, documents and versions, timeline, messages, agenda, outbox. */
export const dossiers: Migration = {
  name: '0100-dossiers',
  async up({ context: q }) {
    await q.createTable('dossier_types', {
      id, municipalityId: ref('municipalities'), code: str(32), nameAr: str(), nameFr: str(), nameEn: str(),
      position: { type: DataTypes.INTEGER, allowNull: false },
    });
    await q.addIndex('dossier_types', ['municipalityId', 'code'], { unique: true });
    await q.createTable('checklist_items', {
      id, dossierTypeId: ref('dossier_types'), code: str(32), labelAr: str(), labelFr: str(), labelEn: str(),
      requiredAboveAreaM2: { type: DataTypes.FLOAT, allowNull: true },
      position: { type: DataTypes.INTEGER, allowNull: false },
    });
    await q.addIndex('checklist_items', ['dossierTypeId', 'code'], { unique: true });
    await q.createTable('dossiers', {
      id, municipalityId: ref('municipalities'), applicantId: ref('users'), dossierTypeId: ref('dossier_types'),
      reference: { type: DataTypes.STRING(32), allowNull: true, unique: true },
      status: { type: DataTypes.STRING(32), allowNull: false, defaultValue: 'draft' },
      address: str(300), parcelRef: str(64),
      lat: { type: DataTypes.FLOAT, allowNull: true },
      lng: { type: DataTypes.FLOAT, allowNull: true },
      coveredAreaM2: { type: DataTypes.FLOAT, allowNull: false },
      levels: { type: DataTypes.INTEGER, allowNull: false },
      nearProtectedSite: { type: DataTypes.BOOLEAN, allowNull: false },
      localPlanInDrafting: { type: DataTypes.BOOLEAN, allowNull: false },
      createdAt: { type: DataTypes.DATE, allowNull: false },
      updatedAt: { type: DataTypes.DATE, allowNull: false },
    });
    await q.addIndex('dossiers', ['municipalityId', 'status']);
    await q.addIndex('dossiers', ['applicantId']);
    await q.createTable('reference_counters', {
      municipalityId: { ...ref('municipalities'), primaryKey: true },
      year: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
      last: { type: DataTypes.INTEGER, allowNull: false },
    });
    await q.createTable('dossier_documents', {
      id, dossierId: ref('dossiers'), itemCode: str(32), createdAt: { type: DataTypes.DATE, allowNull: false },
    });
    await q.addIndex('dossier_documents', ['dossierId', 'itemCode'], { unique: true });
    await q.createTable('document_versions', {
      id, documentId: ref('dossier_documents'),
      version: { type: DataTypes.INTEGER, allowNull: false },
      sha256: str(64),
      size: { type: DataTypes.BIGINT, allowNull: false },
      pageCount: { type: DataTypes.INTEGER, allowNull: false },
      fileName: str(255), storagePath: str(255),
      uploadedById: ref('users'),
      createdAt: { type: DataTypes.DATE, allowNull: false },
    });
    await q.addIndex('document_versions', ['documentId', 'version'], { unique: true });
    await q.addIndex('document_versions', ['sha256']);
    await q.createTable('dossier_events', {
      id, dossierId: ref('dossiers'), action: str(32),
      fromStatus: { type: DataTypes.STRING(32), allowNull: true },
      toStatus: str(32),
      note: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
      actorId: ref('users', true),
      at: { type: DataTypes.DATE, allowNull: false },
    });
    await q.addIndex('dossier_events', ['dossierId', 'id']);
    await q.createTable('dossier_messages', {
      id, dossierId: ref('dossiers'), authorId: ref('users'),
      body: { type: DataTypes.TEXT, allowNull: false },
      createdAt: { type: DataTypes.DATE, allowNull: false },
    });
    await q.addIndex('dossier_messages', ['dossierId', 'id']);
    await q.createTable('agenda_items', {
      id, sessionId: ref('committee_sessions'), dossierId: ref('dossiers'),
      position: { type: DataTypes.INTEGER, allowNull: false },
    });
    await q.addIndex('agenda_items', ['sessionId', 'dossierId'], { unique: true });
    await q.addIndex('agenda_items', ['dossierId']);
    await q.createTable('outbox', {
      id, kind: str(32), toAddress: str(), subject: str(),
      text: { type: DataTypes.TEXT, allowNull: false },
      ics: { type: DataTypes.TEXT, allowNull: true },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      nextAttemptAt: { type: DataTypes.DATE, allowNull: false },
      sentAt: { type: DataTypes.DATE, allowNull: true },
      lastError: { type: DataTypes.TEXT, allowNull: true },
      createdAt: { type: DataTypes.DATE, allowNull: false },
    });
    await q.addIndex('outbox', ['sentAt', 'nextAttemptAt']);
  },
  async down({ context: q }) {
    for (const t of ['outbox', 'agenda_items', 'dossier_messages', 'dossier_events', 'document_versions', 'dossier_documents',
      'reference_counters', 'dossiers', 'checklist_items', 'dossier_types']) {
      await q.dropTable(t);
    }
  },
};
