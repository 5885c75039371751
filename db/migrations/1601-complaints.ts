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

/** Complaints and problem reports, and their photos (re-encoded, without metadata). */
export const complaints: Migration = {
  name: '1601-complaints',
  async up({ context: q }) {
    await q.createTable('complaints', {
      id, municipalityId: ref('municipalities'), reporterId: ref('users', true),
      reference: { type: DataTypes.STRING(32), allowNull: true, unique: true },
      category: str(32), description: { type: DataTypes.TEXT, allowNull: false },
      lat: { type: DataTypes.FLOAT, allowNull: true }, lng: { type: DataTypes.FLOAT, allowNull: true },
      address: { type: DataTypes.STRING(300), allowNull: false, defaultValue: '' },
      neighbourhood: { type: DataTypes.STRING(100), allowNull: false, defaultValue: '' },
      anonymous: { type: DataTypes.BOOLEAN, allowNull: false },
      status: str(32), service: str(100, true), rejectionReason: { type: DataTypes.TEXT, allowNull: true },
      closedAt: { type: DataTypes.DATE, allowNull: true }, anonymisedAt: { type: DataTypes.DATE, allowNull: true },
      createdAt: { type: DataTypes.DATE, allowNull: false }, updatedAt: { type: DataTypes.DATE, allowNull: false },
    });
    await q.addIndex('complaints', ['municipalityId', 'status']);
    await q.addIndex('complaints', ['reporterId']);
    await q.createTable('complaint_photos', {
      id, complaintId: ref('complaints'), sha256: str(64),
      size: { type: DataTypes.INTEGER, allowNull: false }, width: { type: DataTypes.INTEGER, allowNull: false }, height: { type: DataTypes.INTEGER, allowNull: false },
      storagePath: str(255), createdAt: { type: DataTypes.DATE, allowNull: false },
    });
    await q.addIndex('complaint_photos', ['complaintId']);
  },
  async down({ context: q }) {
    await q.dropTable('complaint_photos');
    await q.dropTable('complaints');
  },
};
