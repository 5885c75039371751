import { DataTypes, Model, type CreationOptional, type ForeignKey, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { foreignKey, idColumn } from './columns';
import { AgendaItem, Dossier } from './dossiers';
import { User } from './identity';
import { CommitteeSession } from './sessions';

/**
 * Someone outside the committee (the applicant, their architect) invited to be heard on one
 * agenda item. The link's token and the guest login's token are random; only their sha256 is stored.
 */
export class HearingInvitation extends Model<InferAttributes<HearingInvitation>, InferCreationAttributes<HearingInvitation>> {
  declare id: CreationOptional<number>;
  declare sessionId: ForeignKey<number>;
  declare agendaItemId: ForeignKey<number>;
  declare dossierId: ForeignKey<number>;
  declare name: string;
  declare email: string;
  declare linkHash: string;
  /** Set when the link was followed: the guest's login (its cookie's sha256). */
  declare guestLoginHash: CreationOptional<string | null>;
  declare invitedById: ForeignKey<number>;
  declare createdAt: CreationOptional<Date>;
  declare expiresAt: Date;
  declare usedAt: CreationOptional<Date | null>;
  declare revokedAt: CreationOptional<Date | null>;
  /** The chair ended the hearing: the guest's login ends with it. */
  declare endedAt: CreationOptional<Date | null>;
}

/** A guest's stretch in the room, from the chair's admission to their leaving (the attendance of a hearing). */
export class Hearing extends Model<InferAttributes<Hearing>, InferCreationAttributes<Hearing>> {
  declare id: CreationOptional<number>;
  declare invitationId: ForeignKey<number>;
  declare sessionId: ForeignKey<number>;
  declare agendaItemId: ForeignKey<number>;
  declare admittedById: ForeignKey<number>;
  declare admittedAt: Date;
  declare leftAt: CreationOptional<Date | null>;
}

export function initHearings(sequelize: Sequelize): void {
  const date = (allowNull: boolean) => ({ type: DataTypes.DATE, allowNull });
  HearingInvitation.init(
    {
      id: idColumn(),
      name: { type: DataTypes.STRING(120), allowNull: false },
      email: { type: DataTypes.STRING, allowNull: false },
      linkHash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
      guestLoginHash: { type: DataTypes.STRING(64), allowNull: true, unique: true },
      createdAt: DataTypes.DATE,
      expiresAt: date(false),
      usedAt: date(true),
      revokedAt: date(true),
      endedAt: date(true),
    },
    { sequelize, tableName: 'hearing_invitations', updatedAt: false },
  );
  Hearing.init(
    { id: idColumn(), admittedAt: date(false), leftAt: date(true) },
    { sequelize, tableName: 'hearings', timestamps: false },
  );
  HearingInvitation.belongsTo(CommitteeSession, foreignKey('sessionId'));
  HearingInvitation.belongsTo(AgendaItem, foreignKey('agendaItemId'));
  HearingInvitation.belongsTo(Dossier, foreignKey('dossierId'));
  HearingInvitation.belongsTo(User, { as: 'invitedBy', ...foreignKey('invitedById') });
  HearingInvitation.hasMany(Hearing, foreignKey('invitationId'));
  Hearing.belongsTo(HearingInvitation, foreignKey('invitationId'));
  Hearing.belongsTo(CommitteeSession, foreignKey('sessionId'));
  Hearing.belongsTo(AgendaItem, foreignKey('agendaItemId'));
  Hearing.belongsTo(User, { as: 'admittedBy', ...foreignKey('admittedById') });
}
