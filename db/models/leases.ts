import { DataTypes, Model, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** The app node that holds a live session's meeting (its router and in-memory state), until `expiresAt` unless renewed. */
export class SessionLease extends Model<InferAttributes<SessionLease>, InferCreationAttributes<SessionLease>> {
  declare sessionId: number;
  declare nodeId: string;
  declare expiresAt: Date;
}

export function initLeases(sequelize: Sequelize): void {
  SessionLease.init(
    {
      sessionId: { type: DataTypes.INTEGER, primaryKey: true, allowNull: false },
      nodeId: { type: DataTypes.STRING(64), allowNull: false },
      expiresAt: { type: DataTypes.DATE, allowNull: false },
    },
    { sequelize, tableName: 'session_leases', timestamps: false },
  );
}
