import { DataTypes } from 'sequelize';
import type { Migration } from './index';

/**
 * The applicant (or their architect) invited to be heard on one agenda item of a session:
 * the invitation with its one-time link (only the link's and the guest login's sha256 are
 * kept), and each hearing as it happened (admitted, left), for the attendance and the minutes.
 */
export const hearings: Migration = {
  name: '1410-hearings',
  async up({ context: q }) {
    const ref = (model: string, allowNull = false) => ({ type: DataTypes.INTEGER, allowNull, references: { model, key: 'id' } });
    await q.createTable('hearing_invitations', {
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
      sessionId: ref('committee_sessions'),
      agendaItemId: ref('agenda_items'),
      dossierId: ref('dossiers'),
      name: { type: DataTypes.STRING(120), allowNull: false },
      email: { type: DataTypes.STRING, allowNull: false },
      linkHash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
      guestLoginHash: { type: DataTypes.STRING(64), allowNull: true, unique: true },
      invitedById: ref('users'),
      createdAt: { type: DataTypes.DATE, allowNull: false },
      expiresAt: { type: DataTypes.DATE, allowNull: false },
      usedAt: { type: DataTypes.DATE, allowNull: true },
      revokedAt: { type: DataTypes.DATE, allowNull: true },
      endedAt: { type: DataTypes.DATE, allowNull: true },
    });
    await q.addIndex('hearing_invitations', ['sessionId']);
    await q.createTable('hearings', {
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
      invitationId: ref('hearing_invitations'),
      sessionId: ref('committee_sessions'),
      agendaItemId: ref('agenda_items'),
      admittedById: ref('users'),
      admittedAt: { type: DataTypes.DATE, allowNull: false },
      leftAt: { type: DataTypes.DATE, allowNull: true },
    });
    await q.addIndex('hearings', ['sessionId']);
  },
  async down({ context: q }) {
    await q.dropTable('hearings');
    await q.dropTable('hearing_invitations');
  },
};
