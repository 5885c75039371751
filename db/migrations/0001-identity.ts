import { DataTypes } from 'sequelize';
import type { Migration } from './index';

const id = { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false };
const ref = (table: string) => ({
  type: DataTypes.INTEGER,
  allowNull: false,
  references: { model: table, key: 'id' },
  onDelete: 'CASCADE',
});

export const identity: Migration = {
  name: '0001-identity',
  async up({ context: q }) {
    await q.createTable('municipalities', {
      id,
      code: { type: DataTypes.STRING(8), allowNull: false, unique: true },
      nameAr: { type: DataTypes.STRING, allowNull: false },
      nameFr: { type: DataTypes.STRING, allowNull: false },
      governorateAr: { type: DataTypes.STRING, allowNull: false },
      governorateFr: { type: DataTypes.STRING, allowNull: false },
    });
    await q.createTable('users', {
      id,
      email: { type: DataTypes.STRING, allowNull: false, unique: true },
      passwordHash: { type: DataTypes.STRING, allowNull: false },
      nameAr: { type: DataTypes.STRING, allowNull: false },
      nameFr: { type: DataTypes.STRING, allowNull: false },
      createdAt: { type: DataTypes.DATE, allowNull: false },
    });
    await q.createTable('memberships', {
      id,
      userId: ref('users'),
      municipalityId: ref('municipalities'),
      role: { type: DataTypes.STRING(16), allowNull: false },
    });
    await q.addIndex('memberships', ['userId', 'municipalityId', 'role'], { unique: true });
    await q.createTable('committees', {
      id,
      municipalityId: ref('municipalities'),
      nameAr: { type: DataTypes.STRING, allowNull: false },
      nameFr: { type: DataTypes.STRING, allowNull: false },
      rules: { type: DataTypes.JSON, allowNull: false },
    });
    await q.createTable('committee_seats', {
      id,
      committeeId: ref('committees'),
      userId: ref('users'),
      kind: { type: DataTypes.STRING(16), allowNull: false },
      titleAr: { type: DataTypes.STRING, allowNull: false, defaultValue: '' },
      titleFr: { type: DataTypes.STRING, allowNull: false, defaultValue: '' },
      vetoHolder: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    });
    await q.addIndex('committee_seats', ['committeeId', 'userId'], { unique: true });
    await q.createTable('login_sessions', {
      id: { type: DataTypes.STRING(64), primaryKey: true, allowNull: false },
      userId: ref('users'),
      expiresAt: { type: DataTypes.DATE, allowNull: false },
      createdAt: { type: DataTypes.DATE, allowNull: false },
    });
  },
  async down({ context: q }) {
    for (const t of ['login_sessions', 'committee_seats', 'committees', 'memberships', 'users', 'municipalities']) {
      await q.dropTable(t);
    }
  },
};
