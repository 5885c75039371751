import {
  DataTypes,
  Model,
  type CreationOptional,
  type ForeignKey,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import { foreignKey, idColumn } from './columns';
import type { SessionMode, SessionStatus } from '../../protocol/enums';
import { Committee } from './identity';

/** A meeting of a committee (a "session"), remote or hybrid. */
export class CommitteeSession extends Model<InferAttributes<CommitteeSession>, InferCreationAttributes<CommitteeSession>> {
  declare id: CreationOptional<number>;
  declare committeeId: ForeignKey<number>;
  declare startsAt: Date;
  declare mode: SessionMode;
  declare location: CreationOptional<string>;
  declare status: CreationOptional<SessionStatus>;
  /** When the chair opened it (it became live) and ended it (closed). */
  declare openedAt: CreationOptional<Date | null>;
  declare closedAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export function initSessions(sequelize: Sequelize): void {
  CommitteeSession.init(
    {
      id: idColumn(),
      startsAt: { type: DataTypes.DATE, allowNull: false },
      mode: { type: DataTypes.STRING(8), allowNull: false },
      location: { type: DataTypes.STRING, allowNull: false, defaultValue: '' },
      status: { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'planned' },
      openedAt: { type: DataTypes.DATE, allowNull: true },
      closedAt: { type: DataTypes.DATE, allowNull: true },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'committee_sessions' },
  );
  Committee.hasMany(CommitteeSession, foreignKey('committeeId'));
  CommitteeSession.belongsTo(Committee, foreignKey('committeeId'));
}
