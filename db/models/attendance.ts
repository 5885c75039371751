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
import type { PresenceMode } from '../../protocol/meeting';
import { User } from './identity';
import { CommitteeSession } from './sessions';

/** One stretch of time a member was connected to a session's meeting, and how (video or audio only). */
export class AttendanceInterval extends Model<InferAttributes<AttendanceInterval>, InferCreationAttributes<AttendanceInterval>> {
  declare id: CreationOptional<number>;
  declare sessionId: ForeignKey<number>;
  declare userId: ForeignKey<number>;
  declare mode: PresenceMode;
  declare joinedAt: Date;
  /** Null while connected. */
  declare leftAt: CreationOptional<Date | null>;
  /** The last time the node holding the meeting knew the member was there (the heartbeat). */
  declare heartbeatAt: CreationOptional<Date | null>;
  /** Closed by the server stopping (a crash found at the next start), not by the member. */
  declare interrupted: CreationOptional<boolean>;
}

export function initAttendance(sequelize: Sequelize): void {
  AttendanceInterval.init(
    {
      id: idColumn(),
      mode: { type: DataTypes.STRING(8), allowNull: false },
      joinedAt: { type: DataTypes.DATE, allowNull: false },
      leftAt: { type: DataTypes.DATE, allowNull: true },
      heartbeatAt: { type: DataTypes.DATE, allowNull: true },
      interrupted: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    },
    { sequelize, tableName: 'attendance_intervals', timestamps: false },
  );
  CommitteeSession.hasMany(AttendanceInterval, foreignKey('sessionId'));
  AttendanceInterval.belongsTo(CommitteeSession, foreignKey('sessionId'));
  User.hasMany(AttendanceInterval, foreignKey('userId'));
  AttendanceInterval.belongsTo(User, foreignKey('userId'));
}
