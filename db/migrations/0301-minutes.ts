import { DataTypes } from 'sequelize';
import type { Migration } from './index';

export const minutes: Migration = {
  name: '0301-minutes',
  async up({ context: q }) {
    await q.createTable('minutes', {
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
      // One minutes record per session.
      sessionId: { type: DataTypes.INTEGER, allowNull: false, unique: true, references: { model: 'committee_sessions', key: 'id' } },
      status: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'draft' },
      content: { type: DataTypes.TEXT, allowNull: false },
      hash: { type: DataTypes.STRING(64), allowNull: true, unique: true },
      pdfSha256Ar: { type: DataTypes.STRING(64), allowNull: true },
      pdfSha256Fr: { type: DataTypes.STRING(64), allowNull: true },
      finalizedAt: { type: DataTypes.DATE, allowNull: true },
      finalizedById: { type: DataTypes.INTEGER, allowNull: true, references: { model: 'users', key: 'id' } },
      createdAt: { type: DataTypes.DATE, allowNull: false },
      updatedAt: { type: DataTypes.DATE, allowNull: false },
    });
    await q.addIndex('minutes', ['pdfSha256Ar']);
    await q.addIndex('minutes', ['pdfSha256Fr']);
    await q.createTable('minutes_signatures', {
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
      minutesId: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'minutes', key: 'id' } },
      userId: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'users', key: 'id' } },
      role: { type: DataTypes.STRING(10), allowNull: false },
      signedAt: { type: DataTypes.DATE, allowNull: false },
      minutesHash: { type: DataTypes.STRING(64), allowNull: false },
      method: { type: DataTypes.STRING(16), allowNull: false },
      value: { type: DataTypes.TEXT, allowNull: true },
    });
    // Each role signs once: two clicks or two tabs cannot record two signatures.
    await q.addIndex('minutes_signatures', ['minutesId', 'role'], { unique: true });
  },
  async down({ context: q }) {
    await q.dropTable('minutes_signatures');
    await q.dropTable('minutes');
  },
};
