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
import { Municipality, User } from './identity';
import { PermitDecision } from './opinions';

export type CertificateSource = 'municipal_ca' | 'pkcs12';

/** A certificate a person signs with for a municipality, with its private key locked (server/signing/keyVault.ts). */
export class SigningCertificate extends Model<InferAttributes<SigningCertificate>, InferCreationAttributes<SigningCertificate>> {
  declare id: CreationOptional<number>;
  declare userId: ForeignKey<number>;
  declare municipalityId: ForeignKey<number>;
  declare source: CertificateSource;
  declare certificatePem: string;
  /** JSON array of the issuers' PEM certificates. */
  declare chainPem: string;
  /** Encrypted PKCS#8. */
  declare keyPem: string;
  declare keySalt: string;
  /** Whose secret locks the key: its holder's password, or the server's signing passphrase (an admin's import, until its holder's next signature). */
  declare lockedBy: CreationOptional<'password' | 'server'>;
  /** sha256 of the certificate's DER, hex. */
  declare sha256: string;
  declare subject: string;
  declare issuer: string;
  declare notAfter: Date;
  declare createdAt: CreationOptional<Date>;
}

/** The arrêté of a decision: the PDFs issued when it was recorded, then as the president signed them. */
export class Arrete extends Model<InferAttributes<Arrete>, InferCreationAttributes<Arrete>> {
  declare id: CreationOptional<number>;
  declare decisionId: ForeignKey<number>;
  declare pdfSha256Ar: string;
  declare pdfSha256Fr: string;
  /** JSON: per language, where the president's visible signature goes. */
  declare signatureSlots: string;
  declare signedPdfSha256Ar: CreationOptional<string | null>;
  declare signedPdfSha256Fr: CreationOptional<string | null>;
  declare signedById: CreationOptional<number | null>;
  declare signedAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
}

export function initSigning(sequelize: Sequelize): void {
  SigningCertificate.init(
    {
      id: idColumn(),
      source: { type: DataTypes.STRING(16), allowNull: false },
      certificatePem: { type: DataTypes.TEXT, allowNull: false },
      chainPem: { type: DataTypes.TEXT, allowNull: false },
      keyPem: { type: DataTypes.TEXT, allowNull: false },
      keySalt: { type: DataTypes.STRING(64), allowNull: false },
      lockedBy: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'password' },
      sha256: { type: DataTypes.STRING(64), allowNull: false, unique: true },
      subject: { type: DataTypes.STRING(512), allowNull: false },
      issuer: { type: DataTypes.STRING(512), allowNull: false },
      notAfter: { type: DataTypes.DATE, allowNull: false },
      createdAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'signing_certificates', updatedAt: false },
  );
  User.hasMany(SigningCertificate, foreignKey('userId'));
  SigningCertificate.belongsTo(User, foreignKey('userId'));
  Municipality.hasMany(SigningCertificate, foreignKey('municipalityId'));
  SigningCertificate.belongsTo(Municipality, foreignKey('municipalityId'));
  Arrete.init(
    {
      id: idColumn(),
      pdfSha256Ar: { type: DataTypes.STRING(64), allowNull: false },
      pdfSha256Fr: { type: DataTypes.STRING(64), allowNull: false },
      signatureSlots: { type: DataTypes.TEXT, allowNull: false },
      signedPdfSha256Ar: { type: DataTypes.STRING(64), allowNull: true },
      signedPdfSha256Fr: { type: DataTypes.STRING(64), allowNull: true },
      signedById: { type: DataTypes.INTEGER, allowNull: true },
      signedAt: { type: DataTypes.DATE, allowNull: true },
      createdAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'arretes', updatedAt: false },
  );
  PermitDecision.hasOne(Arrete, foreignKey('decisionId'));
  Arrete.belongsTo(PermitDecision, foreignKey('decisionId'));
}
