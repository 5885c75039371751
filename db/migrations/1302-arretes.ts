import { DataTypes } from 'sequelize';
import type { Migration } from './index';

/** The arrêté of a recorded decision: its PDFs as issued and as signed by the president. */
export const arretes: Migration = {
  name: '1302-arretes',
  async up({ context: q }) {
    await q.createTable('arretes', {
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
      decisionId: { type: DataTypes.INTEGER, allowNull: false, unique: true, references: { model: 'permit_decisions', key: 'id' } },
      pdfSha256Ar: { type: DataTypes.STRING(64), allowNull: false },
      pdfSha256Fr: { type: DataTypes.STRING(64), allowNull: false },
      signatureSlots: { type: DataTypes.TEXT, allowNull: false },
      signedPdfSha256Ar: { type: DataTypes.STRING(64), allowNull: true },
      signedPdfSha256Fr: { type: DataTypes.STRING(64), allowNull: true },
      signedById: { type: DataTypes.INTEGER, allowNull: true, references: { model: 'users', key: 'id' } },
      signedAt: { type: DataTypes.DATE, allowNull: true },
      createdAt: { type: DataTypes.DATE, allowNull: false },
    });
    await q.addIndex('arretes', ['pdfSha256Ar']);
    await q.addIndex('arretes', ['pdfSha256Fr']);
  },
  async down({ context: q }) {
    await q.dropTable('arretes');
  },
};
