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
import type { ComplaintCategory, ComplaintStatus } from '../../protocol/complaints';
import type { AccessForm, AppealOutcome, InformationStatus, RefusalGround } from '../../protocol/informationRequests';
import { Municipality, User } from './identity';

/** The case types beside permits; events, messages and documents name their case by type and id. */
export type CaseType = 'information_request' | 'complaint';

/** An access-to-information request (Law 2016-22), from receipt to the answer and any appeal. */
export class InformationRequest extends Model<InferAttributes<InformationRequest>, InferCreationAttributes<InformationRequest>> {
  declare id: CreationOptional<number>;
  declare municipalityId: ForeignKey<number>;
  /** The requester's account; null for a request made at the desk (or once the account is erased). */
  declare requesterId: ForeignKey<number | null>;
  declare reference: CreationOptional<string | null>;
  declare requesterName: string;
  declare requesterContact: string;
  declare subject: string;
  declare description: string;
  declare accessForm: AccessForm;
  declare lifeOrLiberty: boolean;
  declare status: InformationStatus;
  declare receivedAt: Date;
  declare extendedAt: CreationOptional<Date | null>;
  declare extensionReason: CreationOptional<string | null>;
  declare referredTo: CreationOptional<string | null>;
  declare answeredAt: CreationOptional<Date | null>;
  declare answerNote: CreationOptional<string | null>;
  declare refusalGround: CreationOptional<string | null>;
  declare refusalReasons: CreationOptional<string | null>;
  declare appealFiledAt: CreationOptional<Date | null>;
  declare appealGrounds: CreationOptional<string | null>;
  declare appealDecidedAt: CreationOptional<Date | null>;
  declare appealOutcome: CreationOptional<AppealOutcome | null>;
  declare appealReasons: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare Municipality?: NonAttribute<Municipality>;
}

/** A complaint or problem report about a municipal service. */
export class Complaint extends Model<InferAttributes<Complaint>, InferCreationAttributes<Complaint>> {
  declare id: CreationOptional<number>;
  declare municipalityId: ForeignKey<number>;
  /** Null once the reporter's account is erased. */
  declare reporterId: ForeignKey<number | null>;
  declare reference: CreationOptional<string | null>;
  declare category: string;
  declare description: string;
  declare lat: number | null;
  declare lng: number | null;
  declare address: string;
  declare neighbourhood: string;
  declare anonymous: boolean;
  declare status: ComplaintStatus;
  declare service: CreationOptional<string | null>;
  declare rejectionReason: CreationOptional<string | null>;
  /** When it was resolved or rejected. */
  declare closedAt: CreationOptional<Date | null>;
  /** When the retention job removed what named the reporter (Law 2004-63). */
  declare anonymisedAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare ComplaintPhotos?: NonAttribute<ComplaintPhoto[]>;
}

/** A report's photo as stored: re-encoded as JPEG by the server, with no metadata left. */
export class ComplaintPhoto extends Model<InferAttributes<ComplaintPhoto>, InferCreationAttributes<ComplaintPhoto>> {
  declare id: CreationOptional<number>;
  declare complaintId: ForeignKey<number>;
  declare sha256: string;
  declare size: number;
  declare width: number;
  declare height: number;
  declare storagePath: string;
  declare createdAt: CreationOptional<Date>;
}

/** A case's timeline: every step, when and by whom. Append-only. */
export class CaseEvent extends Model<InferAttributes<CaseEvent>, InferCreationAttributes<CaseEvent>> {
  declare id: CreationOptional<number>;
  declare caseType: CaseType;
  declare caseId: number;
  declare action: string;
  declare fromStatus: string | null;
  declare toStatus: string;
  declare note: CreationOptional<string>;
  declare actorId: ForeignKey<number | null>;
  declare at: Date;
  declare User?: NonAttribute<User>;
}

/** A message between the person and the office about a case. */
export class CaseMessage extends Model<InferAttributes<CaseMessage>, InferCreationAttributes<CaseMessage>> {
  declare id: CreationOptional<number>;
  declare caseType: CaseType;
  declare caseId: number;
  declare authorId: ForeignKey<number>;
  declare body: string;
  declare createdAt: CreationOptional<Date>;
  declare User?: NonAttribute<User>;
}

/** A file attached to a case (an answer's PDF, a complaint's photo); content-addressed in the document store. */
export class CaseDocument extends Model<InferAttributes<CaseDocument>, InferCreationAttributes<CaseDocument>> {
  declare id: CreationOptional<number>;
  declare caseType: CaseType;
  declare caseId: number;
  declare sha256: string;
  declare size: number;
  declare pageCount: number;
  declare fileName: string;
  declare storagePath: string;
  declare uploadedById: ForeignKey<number | null>;
  declare createdAt: CreationOptional<Date>;
}

/** A municipality's own lists for its cases; null columns fall back to the defaults in server/domain/caseSettings.ts. */
export class CaseSettings extends Model<InferAttributes<CaseSettings>, InferCreationAttributes<CaseSettings>> {
  declare municipalityId: number;
  declare refusalGrounds: CreationOptional<RefusalGround[] | null>;
  declare complaintCategories: CreationOptional<ComplaintCategory[] | null>;
  declare retention: CreationOptional<{ draftMonths: number; closedComplaintYears: number } | null>;
}

export function initCases(sequelize: Sequelize): void {
  const str = (n = 255, allowNull = false) => ({ type: DataTypes.STRING(n), allowNull });
  const text = (allowNull = false) => ({ type: DataTypes.TEXT, allowNull });
  const date = (allowNull = false) => ({ type: DataTypes.DATE, allowNull });
  InformationRequest.init(
    {
      id: idColumn(),
      reference: { type: DataTypes.STRING(32), allowNull: true, unique: true },
      requesterName: str(200), requesterContact: str(200), subject: str(300), description: text(),
      accessForm: str(32), lifeOrLiberty: { type: DataTypes.BOOLEAN, allowNull: false }, status: str(32),
      receivedAt: date(), extendedAt: date(true), extensionReason: text(true), referredTo: str(300, true),
      answeredAt: date(true), answerNote: text(true), refusalGround: str(32, true), refusalReasons: text(true),
      appealFiledAt: date(true), appealGrounds: text(true), appealDecidedAt: date(true), appealOutcome: str(16, true), appealReasons: text(true),
      createdAt: DataTypes.DATE, updatedAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'information_requests' },
  );
  Complaint.init(
    {
      id: idColumn(), reference: { type: DataTypes.STRING(32), allowNull: true, unique: true },
      category: str(32), description: text(), lat: { type: DataTypes.FLOAT, allowNull: true }, lng: { type: DataTypes.FLOAT, allowNull: true },
      address: { type: DataTypes.STRING(300), allowNull: false, defaultValue: '' }, neighbourhood: { type: DataTypes.STRING(100), allowNull: false, defaultValue: '' },
      anonymous: { type: DataTypes.BOOLEAN, allowNull: false }, status: str(32), service: str(100, true), rejectionReason: text(true), closedAt: date(true), anonymisedAt: date(true),
      createdAt: DataTypes.DATE, updatedAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'complaints' },
  );
  ComplaintPhoto.init(
    {
      id: idColumn(), sha256: str(64), size: { type: DataTypes.INTEGER, allowNull: false }, width: { type: DataTypes.INTEGER, allowNull: false },
      height: { type: DataTypes.INTEGER, allowNull: false }, storagePath: str(255), createdAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'complaint_photos', updatedAt: false },
  );
  CaseEvent.init(
    {
      id: idColumn(), caseType: str(32), caseId: { type: DataTypes.INTEGER, allowNull: false }, action: str(32),
      fromStatus: str(32, true), toStatus: str(32), note: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' }, at: date(),
    },
    { sequelize, tableName: 'case_events', timestamps: false },
  );
  CaseMessage.init(
    { id: idColumn(), caseType: str(32), caseId: { type: DataTypes.INTEGER, allowNull: false }, body: text(), createdAt: DataTypes.DATE },
    { sequelize, tableName: 'case_messages', updatedAt: false },
  );
  CaseDocument.init(
    {
      id: idColumn(), caseType: str(32), caseId: { type: DataTypes.INTEGER, allowNull: false }, sha256: str(64),
      size: { type: DataTypes.BIGINT, allowNull: false }, pageCount: { type: DataTypes.INTEGER, allowNull: false },
      fileName: str(255), storagePath: str(255), createdAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'case_documents', updatedAt: false },
  );
  CaseSettings.init(
    {
      municipalityId: { type: DataTypes.INTEGER, primaryKey: true },
      refusalGrounds: jsonColumn('refusalGrounds'), complaintCategories: jsonColumn('complaintCategories'), retention: jsonColumn('retention'),
    },
    { sequelize, tableName: 'case_settings', timestamps: false },
  );

  InformationRequest.belongsTo(Municipality, foreignKey('municipalityId'));
  InformationRequest.belongsTo(User, { ...foreignKey('requesterId', true), as: 'requester' });
  Complaint.belongsTo(Municipality, foreignKey('municipalityId'));
  Complaint.belongsTo(User, { ...foreignKey('reporterId', true), as: 'reporter' });
  Complaint.hasMany(ComplaintPhoto, foreignKey('complaintId'));
  ComplaintPhoto.belongsTo(Complaint, foreignKey('complaintId'));
  CaseEvent.belongsTo(User, foreignKey('actorId', true));
  CaseMessage.belongsTo(User, foreignKey('authorId'));
  CaseDocument.belongsTo(User, { ...foreignKey('uploadedById', true), as: 'uploadedBy' });
}
