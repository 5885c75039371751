import { DataTypes } from 'sequelize';
import type { Migration } from './index';

/**
 * Signing: the certificates people sign with (issued by the municipality's CA, or imported
 * from a PKCS#12), their private keys locked at rest, and where each finalized minutes PDF
 * keeps the space for each signer's visible signature.
 */
export const signing: Migration = {
  name: '1300-signing',
  async up({ context: q }) {
    await q.createTable('signing_certificates', {
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
      userId: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'users', key: 'id' } },
      municipalityId: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'municipalities', key: 'id' } },
      source: { type: DataTypes.STRING(16), allowNull: false },
      certificatePem: { type: DataTypes.TEXT, allowNull: false },
      chainPem: { type: DataTypes.TEXT, allowNull: false },
      keyPem: { type: DataTypes.TEXT, allowNull: false },
      keySalt: { type: DataTypes.STRING(64), allowNull: false },
      sha256: { type: DataTypes.STRING(64), allowNull: false, unique: true },
      subject: { type: DataTypes.STRING(512), allowNull: false },
      issuer: { type: DataTypes.STRING(512), allowNull: false },
      notAfter: { type: DataTypes.DATE, allowNull: false },
      createdAt: { type: DataTypes.DATE, allowNull: false },
    });
    await q.addIndex('signing_certificates', ['userId', 'municipalityId']);
    await q.addColumn('minutes', 'signatureSlots', { type: DataTypes.TEXT, allowNull: true });
  },
  async down({ context: q }) {
    await q.removeColumn('minutes', 'signatureSlots');
    await q.dropTable('signing_certificates');
  },
};
