import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/**
 * One entry of the hash-chained audit log (see server/domain/auditChain.ts). Append-only;
 * `at` and `payload` are stored as the exact strings that were hashed, so the chain can be
 * verified from the rows byte for byte.
 */
export class AuditEntryRow extends Model<InferAttributes<AuditEntryRow>, InferCreationAttributes<AuditEntryRow>> {
  declare seq: number;
  declare at: string;
  declare actorId: number | null;
  declare action: string;
  declare subject: string;
  /** Canonical JSON. */
  declare payload: string;
  declare prevHash: string;
  declare hash: string;
  /** HMAC of `hash` with the key under DATA_DIR (server/services/audit.ts); null before it was set up. */
  declare mac: CreationOptional<string | null>;
}

export function initAudit(sequelize: Sequelize): void {
  AuditEntryRow.init(
    {
      // The sequence number is the key: two writers that read the same last entry cannot both insert.
      seq: { type: DataTypes.INTEGER, primaryKey: true, allowNull: false },
      at: { type: DataTypes.STRING(32), allowNull: false },
      actorId: { type: DataTypes.INTEGER, allowNull: true },
      action: { type: DataTypes.STRING(64), allowNull: false },
      subject: { type: DataTypes.STRING(128), allowNull: false },
      payload: { type: DataTypes.TEXT, allowNull: false },
      prevHash: { type: DataTypes.STRING(64), allowNull: false },
      hash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
      mac: { type: DataTypes.STRING(64), allowNull: true },
    },
    { sequelize, tableName: 'audit_entries', timestamps: false },
  );
}
