import {
  DataTypes,
  Model,
  type CreationOptional,
  type ForeignKey,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import type { PermitOutcome, ShownDocumentRecord } from '../../protocol/opinions';
import type { Opinion } from '../../protocol/voting';
import type { CitedMarkup } from '../../protocol/citations';
import { foreignKey, idColumn, jsonColumn } from './columns';
import { AgendaItem, Dossier } from './dossiers';
import { User } from './identity';
import { Vote } from './votes';

/**
 * The committee's opinion on a dossier, written in the transaction that closes the vote:
 * the opinion, its conditions and reasons, and the exact document versions shown. Append-only.
 */
export class CommitteeOpinion extends Model<InferAttributes<CommitteeOpinion>, InferCreationAttributes<CommitteeOpinion>> {
  declare id: CreationOptional<number>;
  declare dossierId: ForeignKey<number>;
  declare agendaItemId: ForeignKey<number>;
  declare voteId: ForeignKey<number>;
  declare opinion: Opinion;
  declare conditions: string;
  /** The markups the conditions cite, as drawn (a frozen copy). */
  declare markups: CitedMarkup[];
  declare reasons: string;
  declare documents: ShownDocumentRecord[];
  declare givenAt: Date;
}

/** The municipality's decision on the permit (the president's arrêté), a record separate from the opinion. */
export class PermitDecision extends Model<InferAttributes<PermitDecision>, InferCreationAttributes<PermitDecision>> {
  declare id: CreationOptional<number>;
  declare dossierId: ForeignKey<number>;
  declare opinionId: ForeignKey<number>;
  declare recordedById: ForeignKey<number>;
  declare outcome: PermitOutcome;
  declare arreteNumber: string;
  /** yyyy-mm-dd: the day the arrêté was signed. */
  declare signedOn: string;
  declare notes: CreationOptional<string>;
  declare recordedAt: Date;
}

export function initOpinions(sequelize: Sequelize): void {
  CommitteeOpinion.init(
    {
      id: idColumn(),
      opinion: { type: DataTypes.STRING(32), allowNull: false },
      conditions: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
      reasons: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
      markups: jsonColumn('markups', false),
      documents: jsonColumn('documents', false),
      givenAt: { type: DataTypes.DATE, allowNull: false },
    },
    { sequelize, tableName: 'committee_opinions', timestamps: false },
  );
  PermitDecision.init(
    {
      id: idColumn(),
      outcome: { type: DataTypes.STRING(16), allowNull: false },
      arreteNumber: { type: DataTypes.STRING(64), allowNull: false },
      signedOn: { type: DataTypes.DATEONLY, allowNull: false },
      notes: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
      recordedAt: { type: DataTypes.DATE, allowNull: false },
    },
    { sequelize, tableName: 'permit_decisions', timestamps: false },
  );
  Dossier.hasMany(CommitteeOpinion, foreignKey('dossierId'));
  CommitteeOpinion.belongsTo(Dossier, foreignKey('dossierId'));
  CommitteeOpinion.belongsTo(AgendaItem, foreignKey('agendaItemId'));
  Vote.hasOne(CommitteeOpinion, foreignKey('voteId'));
  CommitteeOpinion.belongsTo(Vote, foreignKey('voteId'));
  Dossier.hasOne(PermitDecision, foreignKey('dossierId'));
  PermitDecision.belongsTo(Dossier, foreignKey('dossierId'));
  PermitDecision.belongsTo(CommitteeOpinion, foreignKey('opinionId'));
  PermitDecision.belongsTo(User, { as: 'recordedBy', ...foreignKey('recordedById') });
}
