import { DataTypes } from 'sequelize';
import type { Migration } from './index';

const id = { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false };
const ref = (table: string, allowNull = false) => ({
  type: DataTypes.INTEGER,
  allowNull,
  references: { model: table, key: 'id' },
  onDelete: allowNull ? 'SET NULL' : 'CASCADE',
});
const str = (n = 255, allowNull = false) => ({ type: DataTypes.STRING(n), allowNull });
const text = (allowNull = false) => ({ type: DataTypes.TEXT, allowNull });
const date = (allowNull = false) => ({ type: DataTypes.DATE, allowNull });

/**
 * Access-to-information requests (Law 2016-22), and what every case type beside permits
 * shares: its timeline, its messages, its documents (keyed by case type and id), and the
 * per-municipality settings (refusal grounds, complaint categories, retention).
 */
export const informationRequests: Migration = {
  name: '1600-information-requests',
  async up({ context: q }) {
    // 'information_officer' is longer than the 16 characters the role column had (SQLite does not enforce lengths).
    if (q.sequelize.getDialect() === 'postgres') await q.changeColumn('memberships', 'role', str(32));
    await q.createTable('information_requests', {
      id, municipalityId: ref('municipalities'), requesterId: ref('users', true),
      reference: { type: DataTypes.STRING(32), allowNull: true, unique: true },
      requesterName: str(200), requesterContact: str(200),
      subject: str(300), description: text(),
      accessForm: str(32), lifeOrLiberty: { type: DataTypes.BOOLEAN, allowNull: false },
      status: str(32),
      receivedAt: date(),
      extendedAt: date(true), extensionReason: text(true),
      referredTo: str(300, true),
      answeredAt: date(true), answerNote: text(true),
      refusalGround: str(32, true), refusalReasons: text(true),
      appealFiledAt: date(true), appealGrounds: text(true),
      appealDecidedAt: date(true), appealOutcome: str(16, true), appealReasons: text(true),
      createdAt: date(), updatedAt: date(),
    });
    await q.addIndex('information_requests', ['municipalityId', 'status']);
    await q.addIndex('information_requests', ['requesterId']);
    await q.createTable('case_events', {
      id, caseType: str(32), caseId: { type: DataTypes.INTEGER, allowNull: false }, action: str(32),
      fromStatus: str(32, true), toStatus: str(32), note: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
      actorId: ref('users', true), at: date(),
    });
    await q.addIndex('case_events', ['caseType', 'caseId', 'id']);
    await q.createTable('case_messages', {
      id, caseType: str(32), caseId: { type: DataTypes.INTEGER, allowNull: false }, authorId: ref('users'), body: text(), createdAt: date(),
    });
    await q.addIndex('case_messages', ['caseType', 'caseId', 'id']);
    await q.createTable('case_documents', {
      id, caseType: str(32), caseId: { type: DataTypes.INTEGER, allowNull: false },
      sha256: str(64), size: { type: DataTypes.BIGINT, allowNull: false }, pageCount: { type: DataTypes.INTEGER, allowNull: false },
      fileName: str(255), storagePath: str(255), uploadedById: ref('users', true), createdAt: date(),
    });
    await q.addIndex('case_documents', ['caseType', 'caseId']);
    await q.createTable('case_settings', {
      municipalityId: { ...ref('municipalities'), primaryKey: true },
      refusalGrounds: text(true), complaintCategories: text(true), retention: text(true),
    });
  },
  async down({ context: q }) {
    for (const t of ['case_settings', 'case_documents', 'case_messages', 'case_events', 'information_requests']) await q.dropTable(t);
  },
};
