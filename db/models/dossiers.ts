import {
  DataTypes,
  Model,
  type CreationOptional,
  type ForeignKey,
  type InferAttributes,
  type InferCreationAttributes,
  type NonAttribute,
  type Sequelize,
} from 'sequelize';
import { foreignKey, idColumn, jsonColumn } from './columns';
import type { DossierEventDetails, DossierStatus } from '../../protocol/dossiers';
import { Municipality, User } from './identity';
import { CommitteeSession } from './sessions';

/** A kind of permit request (new building, extension …), configurable per municipality. */
export class DossierType extends Model<InferAttributes<DossierType>, InferCreationAttributes<DossierType>> {
  declare id: CreationOptional<number>;
  declare municipalityId: ForeignKey<number>;
  declare code: string;
  declare nameAr: string;
  declare nameFr: string;
  declare nameEn: string;
  declare position: number;
  declare ChecklistItems?: NonAttribute<ChecklistItem[]>;
}

/** A document a dossier of a type must carry; `requiredAboveAreaM2` makes it required only for larger buildings. */
export class ChecklistItem extends Model<InferAttributes<ChecklistItem>, InferCreationAttributes<ChecklistItem>> {
  declare id: CreationOptional<number>;
  declare dossierTypeId: ForeignKey<number>;
  declare code: string;
  declare labelAr: string;
  declare labelFr: string;
  declare labelEn: string;
  declare requiredAboveAreaM2: number | null;
  declare position: number;
}

/** A building-permit request, from draft to the committee's opinion. */
export class Dossier extends Model<InferAttributes<Dossier>, InferCreationAttributes<Dossier>> {
  declare id: CreationOptional<number>;
  declare municipalityId: ForeignKey<number>;
  declare applicantId: ForeignKey<number>;
  declare dossierTypeId: ForeignKey<number>;
  /** Given on first submission: {municipality code}-{year}-{sequence}. */
  declare reference: CreationOptional<string | null>;
  declare status: CreationOptional<DossierStatus>;
  declare address: string;
  declare parcelRef: string;
  declare lat: number | null;
  declare lng: number | null;
  declare coveredAreaM2: number;
  declare levels: number;
  declare nearProtectedSite: boolean;
  declare localPlanInDrafting: boolean;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare DossierType?: NonAttribute<DossierType>;
  declare Municipality?: NonAttribute<Municipality>;
}

/** The last sequence number given per municipality and year; bumped in the submitting transaction. */
export class ReferenceCounter extends Model<InferAttributes<ReferenceCounter>, InferCreationAttributes<ReferenceCounter>> {
  declare municipalityId: number;
  declare year: number;
  declare last: number;
}

/** One checklist item's document in a dossier; its content lives in versions. */
export class DossierDocument extends Model<InferAttributes<DossierDocument>, InferCreationAttributes<DossierDocument>> {
  declare id: CreationOptional<number>;
  declare dossierId: ForeignKey<number>;
  declare itemCode: string;
  declare createdAt: CreationOptional<Date>;
  declare DocumentVersions?: NonAttribute<DocumentVersion[]>;
  declare Dossier?: NonAttribute<Dossier>;
}

/** An uploaded PDF, immutable; the file is stored once per sha256. */
export class DocumentVersion extends Model<InferAttributes<DocumentVersion>, InferCreationAttributes<DocumentVersion>> {
  declare id: CreationOptional<number>;
  declare documentId: ForeignKey<number>;
  declare version: number;
  declare sha256: string;
  declare size: number;
  declare pageCount: number;
  declare fileName: string;
  /** Relative to DATA_DIR. */
  declare storagePath: string;
  declare uploadedById: ForeignKey<number>;
  declare createdAt: CreationOptional<Date>;
  declare DossierDocument?: NonAttribute<DossierDocument>;
}

/** The timeline: every transition, when and by whom. Append-only. */
export class DossierEvent extends Model<InferAttributes<DossierEvent>, InferCreationAttributes<DossierEvent>> {
  declare id: CreationOptional<number>;
  declare dossierId: ForeignKey<number>;
  declare action: string;
  declare fromStatus: string | null;
  declare toStatus: string;
  declare note: CreationOptional<string>;
  /** What the step was about (items asked for, the session), shown in the reader's language. */
  declare details: CreationOptional<DossierEventDetails | null>;
  declare actorId: ForeignKey<number | null>;
  declare at: Date;
  declare User?: NonAttribute<User>;
}

/** A message between the applicant and the secretary about a dossier. */
export class DossierMessage extends Model<InferAttributes<DossierMessage>, InferCreationAttributes<DossierMessage>> {
  declare id: CreationOptional<number>;
  declare dossierId: ForeignKey<number>;
  declare authorId: ForeignKey<number>;
  declare body: string;
  declare createdAt: CreationOptional<Date>;
  declare User?: NonAttribute<User>;
}

/** A dossier on a session's agenda, in order. */
export class AgendaItem extends Model<InferAttributes<AgendaItem>, InferCreationAttributes<AgendaItem>> {
  declare id: CreationOptional<number>;
  declare sessionId: ForeignKey<number>;
  declare dossierId: ForeignKey<number>;
  declare position: number;
  declare Dossier?: NonAttribute<Dossier>;
  declare CommitteeSession?: NonAttribute<CommitteeSession>;
}

/** A notification waiting to be sent (or sent): the worker retries until it goes out. */
export class OutboxMessage extends Model<InferAttributes<OutboxMessage>, InferCreationAttributes<OutboxMessage>> {
  declare id: CreationOptional<number>;
  declare kind: string;
  /** `email` (toAddress an email address) or `sms` (toAddress an E.164 number). */
  declare channel: CreationOptional<'email' | 'sms'>;
  declare toAddress: string;
  declare subject: string;
  declare text: string;
  /** The same in HTML, each language in its own direction (null: plain text only). */
  declare html: CreationOptional<string | null>;
  /** What the message is about, e.g. `session:12` for a convocation. */
  declare about: CreationOptional<string | null>;
  /** RFC 5545 calendar attached as invite.ics, for convocations. */
  declare ics: string | null;
  declare attempts: CreationOptional<number>;
  declare nextAttemptAt: Date;
  declare sentAt: CreationOptional<Date | null>;
  declare lastError: CreationOptional<string | null>;
  /** The municipality whose monthly SMS quota an SMS counts against. */
  declare municipalityId: CreationOptional<number | null>;
  /** An SMS over its municipality's quota: recorded, never sent (lastError `over_quota`). */
  declare droppedAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
}

export function initDossiers(sequelize: Sequelize): void {
  const str = (n = 255) => ({ type: DataTypes.STRING(n), allowNull: false });
  DossierType.init(
    { id: idColumn(), code: str(32), nameAr: str(), nameFr: str(), nameEn: str(), position: { type: DataTypes.INTEGER, allowNull: false } },
    { sequelize, tableName: 'dossier_types', timestamps: false },
  );
  ChecklistItem.init(
    {
      id: idColumn(), code: str(32), labelAr: str(), labelFr: str(), labelEn: str(),
      requiredAboveAreaM2: { type: DataTypes.FLOAT, allowNull: true },
      position: { type: DataTypes.INTEGER, allowNull: false },
    },
    { sequelize, tableName: 'checklist_items', timestamps: false },
  );
  Dossier.init(
    {
      id: idColumn(),
      reference: { type: DataTypes.STRING(32), allowNull: true, unique: true },
      status: { type: DataTypes.STRING(32), allowNull: false, defaultValue: 'draft' },
      address: str(300), parcelRef: str(64),
      lat: { type: DataTypes.FLOAT, allowNull: true },
      lng: { type: DataTypes.FLOAT, allowNull: true },
      coveredAreaM2: { type: DataTypes.FLOAT, allowNull: false },
      levels: { type: DataTypes.INTEGER, allowNull: false },
      nearProtectedSite: { type: DataTypes.BOOLEAN, allowNull: false },
      localPlanInDrafting: { type: DataTypes.BOOLEAN, allowNull: false },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'dossiers' },
  );
  ReferenceCounter.init(
    {
      municipalityId: { type: DataTypes.INTEGER, primaryKey: true },
      year: { type: DataTypes.INTEGER, primaryKey: true },
      last: { type: DataTypes.INTEGER, allowNull: false },
    },
    { sequelize, tableName: 'reference_counters', timestamps: false },
  );
  DossierDocument.init(
    { id: idColumn(), itemCode: str(32), createdAt: DataTypes.DATE },
    { sequelize, tableName: 'dossier_documents', updatedAt: false },
  );
  DocumentVersion.init(
    {
      id: idColumn(),
      version: { type: DataTypes.INTEGER, allowNull: false },
      sha256: str(64),
      size: { type: DataTypes.BIGINT, allowNull: false },
      pageCount: { type: DataTypes.INTEGER, allowNull: false },
      fileName: str(255),
      storagePath: str(255),
      createdAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'document_versions', updatedAt: false },
  );
  DossierEvent.init(
    {
      id: idColumn(), action: str(32),
      fromStatus: { type: DataTypes.STRING(32), allowNull: true },
      toStatus: str(32),
      note: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
      details: jsonColumn('details'),
      at: { type: DataTypes.DATE, allowNull: false },
    },
    { sequelize, tableName: 'dossier_events', timestamps: false },
  );
  DossierMessage.init(
    { id: idColumn(), body: { type: DataTypes.TEXT, allowNull: false }, createdAt: DataTypes.DATE },
    { sequelize, tableName: 'dossier_messages', updatedAt: false },
  );
  AgendaItem.init(
    { id: idColumn(), position: { type: DataTypes.INTEGER, allowNull: false } },
    { sequelize, tableName: 'agenda_items', timestamps: false },
  );
  OutboxMessage.init(
    {
      id: idColumn(), kind: str(32), channel: { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'email' }, toAddress: str(), subject: str(), text: { type: DataTypes.TEXT, allowNull: false },
      html: { type: DataTypes.TEXT, allowNull: true },
      about: { type: DataTypes.STRING(64), allowNull: true },
      ics: { type: DataTypes.TEXT, allowNull: true },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      nextAttemptAt: { type: DataTypes.DATE, allowNull: false },
      sentAt: { type: DataTypes.DATE, allowNull: true },
      lastError: { type: DataTypes.TEXT, allowNull: true },
      municipalityId: { type: DataTypes.INTEGER, allowNull: true },
      droppedAt: { type: DataTypes.DATE, allowNull: true },
      createdAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'outbox', updatedAt: false },
  );

  Municipality.hasMany(DossierType, foreignKey('municipalityId'));
  DossierType.belongsTo(Municipality, foreignKey('municipalityId'));
  DossierType.hasMany(ChecklistItem, foreignKey('dossierTypeId'));
  ChecklistItem.belongsTo(DossierType, foreignKey('dossierTypeId'));
  Dossier.belongsTo(Municipality, foreignKey('municipalityId'));
  Dossier.belongsTo(DossierType, foreignKey('dossierTypeId'));
  Dossier.belongsTo(User, { ...foreignKey('applicantId'), as: 'applicant' });
  Dossier.hasMany(DossierDocument, foreignKey('dossierId'));
  DossierDocument.belongsTo(Dossier, foreignKey('dossierId'));
  DossierDocument.hasMany(DocumentVersion, foreignKey('documentId'));
  DocumentVersion.belongsTo(DossierDocument, foreignKey('documentId'));
  DocumentVersion.belongsTo(User, { ...foreignKey('uploadedById'), as: 'uploadedBy' });
  Dossier.hasMany(DossierEvent, foreignKey('dossierId'));
  DossierEvent.belongsTo(Dossier, foreignKey('dossierId'));
  DossierEvent.belongsTo(User, foreignKey('actorId', true));
  Dossier.hasMany(DossierMessage, foreignKey('dossierId'));
  DossierMessage.belongsTo(Dossier, foreignKey('dossierId'));
  DossierMessage.belongsTo(User, foreignKey('authorId'));
  CommitteeSession.hasMany(AgendaItem, foreignKey('sessionId'));
  AgendaItem.belongsTo(CommitteeSession, foreignKey('sessionId'));
  Dossier.hasMany(AgendaItem, foreignKey('dossierId'));
  AgendaItem.belongsTo(Dossier, foreignKey('dossierId'));
}
