import { DataTypes, Model, type CreationOptional, type ForeignKey, type InferAttributes, type InferCreationAttributes, type NonAttribute, type Sequelize } from 'sequelize';
import type { MarkupColor, MarkupKind, Measurement, PagePoint } from '../../protocol/markups';
import { foreignKey, idColumn, jsonColumn } from './columns';
import { AgendaItem, DocumentVersion } from './dossiers';
import { User } from './identity';

/** A markup drawn on a page of a document version during an agenda item, numbered per item. */
export class MarkupRow extends Model<InferAttributes<MarkupRow>, InferCreationAttributes<MarkupRow>> {
  declare id: CreationOptional<number>;
  declare agendaItemId: ForeignKey<number>;
  declare number: number;
  declare documentVersionId: ForeignKey<number>;
  declare sha256: string;
  declare page: number;
  declare kind: MarkupKind;
  declare color: MarkupColor;
  declare points: PagePoint[];
  declare text: string | null;
  declare measurement: Measurement | null;
  declare authorId: ForeignKey<number>;
  declare createdAt: Date;
  declare deletedAt: CreationOptional<Date | null>;
  declare deletedById: ForeignKey<number | null>;
  declare author?: NonAttribute<User>;
  declare DocumentVersion?: NonAttribute<DocumentVersion>;
}

/** A page's scale by content: calibrated by a member, or read from the file's /VP /Measure. */
export class PageScaleRow extends Model<InferAttributes<PageScaleRow>, InferCreationAttributes<PageScaleRow>> {
  declare id: CreationOptional<number>;
  declare sha256: string;
  declare page: number;
  declare source: 'pdf' | 'calibration';
  declare metresPerPoint: number;
  declare ratio: number | null;
  declare calibratedById: ForeignKey<number | null>;
  declare setAt: Date;
  declare calibratedBy?: NonAttribute<User | null>;
}

/** A file whose measure dictionaries were read, whether it had any. */
export class PdfMeasureScan extends Model<InferAttributes<PdfMeasureScan>, InferCreationAttributes<PdfMeasureScan>> {
  declare sha256: string;
  declare scannedAt: Date;
}

export function initMarkups(sequelize: Sequelize): void {
  MarkupRow.init(
    {
      id: idColumn(),
      number: { type: DataTypes.INTEGER, allowNull: false },
      sha256: { type: DataTypes.STRING(64), allowNull: false },
      page: { type: DataTypes.INTEGER, allowNull: false },
      kind: { type: DataTypes.STRING(16), allowNull: false },
      color: { type: DataTypes.STRING(16), allowNull: false },
      points: jsonColumn('points', false),
      text: { type: DataTypes.TEXT, allowNull: true },
      measurement: jsonColumn('measurement'),
      createdAt: { type: DataTypes.DATE, allowNull: false },
      deletedAt: { type: DataTypes.DATE, allowNull: true },
    },
    { sequelize, tableName: 'markups', timestamps: false },
  );
  PageScaleRow.init(
    {
      id: idColumn(),
      sha256: { type: DataTypes.STRING(64), allowNull: false },
      page: { type: DataTypes.INTEGER, allowNull: false },
      source: { type: DataTypes.STRING(16), allowNull: false },
      metresPerPoint: { type: DataTypes.DOUBLE, allowNull: false },
      ratio: { type: DataTypes.DOUBLE, allowNull: true },
      setAt: { type: DataTypes.DATE, allowNull: false },
    },
    { sequelize, tableName: 'page_scales', timestamps: false },
  );
  PdfMeasureScan.init(
    { sha256: { type: DataTypes.STRING(64), primaryKey: true }, scannedAt: { type: DataTypes.DATE, allowNull: false } },
    { sequelize, tableName: 'pdf_measure_scans', timestamps: false },
  );
  AgendaItem.hasMany(MarkupRow, foreignKey('agendaItemId'));
  MarkupRow.belongsTo(AgendaItem, foreignKey('agendaItemId'));
  MarkupRow.belongsTo(DocumentVersion, foreignKey('documentVersionId'));
  MarkupRow.belongsTo(User, { as: 'author', ...foreignKey('authorId') });
  MarkupRow.belongsTo(User, { as: 'deletedBy', ...foreignKey('deletedById', true) });
  PageScaleRow.belongsTo(User, { as: 'calibratedBy', ...foreignKey('calibratedById', true) });
}
