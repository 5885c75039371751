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
import type { SignatureMethod, SignerRole } from '../../protocol/minutes';
import { User } from './identity';
import { CommitteeSession } from './sessions';

export type MinutesStatus = 'draft' | 'finalized';

/** A session's minutes: a draft the secretary edits, then a finalized, hashed, immutable record. */
export class MinutesRecord extends Model<InferAttributes<MinutesRecord>, InferCreationAttributes<MinutesRecord>> {
  declare id: CreationOptional<number>;
  declare sessionId: ForeignKey<number>;
  declare status: CreationOptional<MinutesStatus>;
  /** Canonical JSON of MinutesContent. */
  declare content: string;
  /** sha256 of `content`; set at finalize. */
  declare hash: CreationOptional<string | null>;
  declare pdfSha256Ar: CreationOptional<string | null>;
  declare pdfSha256Fr: CreationOptional<string | null>;
  declare finalizedAt: CreationOptional<Date | null>;
  declare finalizedById: CreationOptional<number | null>;
  /** JSON: per language, where each signer's visible signature goes (server/signing/pdfSigner SignatureSlot); set at finalize. */
  declare signatureSlots: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** A signature on finalized minutes: who, in which role, when, on which hash, and how. */
export class MinutesSignature extends Model<InferAttributes<MinutesSignature>, InferCreationAttributes<MinutesSignature>> {
  declare id: CreationOptional<number>;
  declare minutesId: ForeignKey<number>;
  declare userId: ForeignKey<number>;
  declare role: SignerRole;
  declare signedAt: Date;
  declare minutesHash: string;
  declare method: SignatureMethod;
  /** Opaque evidence of the method (e.g. a qualified signature's blob); null for 'session'. */
  declare value: string | null;
}

export function initMinutes(sequelize: Sequelize): void {
  MinutesRecord.init(
    {
      id: idColumn(),
      status: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'draft' },
      content: { type: DataTypes.TEXT, allowNull: false },
      hash: { type: DataTypes.STRING(64), allowNull: true },
      pdfSha256Ar: { type: DataTypes.STRING(64), allowNull: true },
      pdfSha256Fr: { type: DataTypes.STRING(64), allowNull: true },
      finalizedAt: { type: DataTypes.DATE, allowNull: true },
      finalizedById: { type: DataTypes.INTEGER, allowNull: true },
      signatureSlots: { type: DataTypes.TEXT, allowNull: true },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'minutes' },
  );
  MinutesSignature.init(
    {
      id: idColumn(),
      role: { type: DataTypes.STRING(10), allowNull: false },
      signedAt: { type: DataTypes.DATE, allowNull: false },
      minutesHash: { type: DataTypes.STRING(64), allowNull: false },
      method: { type: DataTypes.STRING(16), allowNull: false },
      value: { type: DataTypes.TEXT, allowNull: true },
    },
    { sequelize, tableName: 'minutes_signatures', timestamps: false },
  );
  CommitteeSession.hasOne(MinutesRecord, foreignKey('sessionId'));
  MinutesRecord.belongsTo(CommitteeSession, foreignKey('sessionId'));
  MinutesRecord.hasMany(MinutesSignature, foreignKey('minutesId'));
  MinutesSignature.belongsTo(MinutesRecord, foreignKey('minutesId'));
  User.hasMany(MinutesSignature, foreignKey('userId'));
  MinutesSignature.belongsTo(User, foreignKey('userId'));
}
