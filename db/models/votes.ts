import {
  DataTypes,
  Model,
  type CreationOptional,
  type ForeignKey,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import type { QuorumRecord, VoteRecordOutcome, VoteTally } from '../../protocol/voting';
import type { BallotChoice } from '../../protocol/voting';
import type { CitedMarkup } from '../../protocol/citations';
import { foreignKey, idColumn, jsonColumn } from './columns';
import { AgendaItem } from './dossiers';
import { User } from './identity';

/** A member's declared conflict of interest on an agenda item: they take no part in its vote. */
export class Recusal extends Model<InferAttributes<Recusal>, InferCreationAttributes<Recusal>> {
  declare id: CreationOptional<number>;
  declare agendaItemId: ForeignKey<number>;
  declare userId: ForeignKey<number>;
  declare reason: string;
  declare at: Date;
}

export type VoteStatus = 'open' | 'closed';

/** A vote the chair opened on an agenda item; closed with its tally, quorum figures and outcome. */
export class Vote extends Model<InferAttributes<Vote>, InferCreationAttributes<Vote>> {
  declare id: CreationOptional<number>;
  declare agendaItemId: ForeignKey<number>;
  declare question: string;
  /** The conditions proposed with "favourable with conditions". */
  declare conditions: CreationOptional<string>;
  /** The markups the conditions cite, frozen when the vote opened. */
  declare citedMarkups: CitedMarkup[];
  /** The reasons the chair gives for the outcome when closing. */
  declare reasons: CreationOptional<string>;
  declare status: CreationOptional<VoteStatus>;
  declare openedById: ForeignKey<number>;
  declare openedAt: Date;
  declare quorumAtOpen: QuorumRecord;
  declare closedAt: CreationOptional<Date | null>;
  declare quorumAtClose: CreationOptional<QuorumRecord | null>;
  declare tally: CreationOptional<VoteTally | null>;
  declare outcome: CreationOptional<VoteRecordOutcome | null>;
}

/** One member's ballot in a vote; the (vote, member) pair is unique in the database. */
export class Ballot extends Model<InferAttributes<Ballot>, InferCreationAttributes<Ballot>> {
  declare id: CreationOptional<number>;
  declare voteId: ForeignKey<number>;
  declare userId: ForeignKey<number>;
  declare choice: BallotChoice;
  declare castAt: Date;
}

export function initVotes(sequelize: Sequelize): void {
  Recusal.init(
    { id: idColumn(), reason: { type: DataTypes.TEXT, allowNull: false }, at: { type: DataTypes.DATE, allowNull: false } },
    { sequelize, tableName: 'recusals', timestamps: false },
  );
  Vote.init(
    {
      id: idColumn(),
      question: { type: DataTypes.TEXT, allowNull: false },
      conditions: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
      citedMarkups: jsonColumn('citedMarkups', false),
      reasons: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
      status: { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'open' },
      openedAt: { type: DataTypes.DATE, allowNull: false },
      quorumAtOpen: jsonColumn('quorumAtOpen', false),
      closedAt: { type: DataTypes.DATE, allowNull: true },
      quorumAtClose: jsonColumn('quorumAtClose'),
      tally: jsonColumn('tally'),
      outcome: jsonColumn('outcome'),
    },
    { sequelize, tableName: 'votes', timestamps: false },
  );
  Ballot.init(
    { id: idColumn(), choice: { type: DataTypes.STRING(32), allowNull: false }, castAt: { type: DataTypes.DATE, allowNull: false } },
    { sequelize, tableName: 'ballots', timestamps: false },
  );
  AgendaItem.hasMany(Recusal, foreignKey('agendaItemId'));
  Recusal.belongsTo(AgendaItem, foreignKey('agendaItemId'));
  User.hasMany(Recusal, foreignKey('userId'));
  Recusal.belongsTo(User, foreignKey('userId'));
  AgendaItem.hasMany(Vote, foreignKey('agendaItemId'));
  Vote.belongsTo(AgendaItem, foreignKey('agendaItemId'));
  Vote.belongsTo(User, { as: 'openedBy', ...foreignKey('openedById') });
  Vote.hasMany(Ballot, foreignKey('voteId'));
  Ballot.belongsTo(Vote, foreignKey('voteId'));
  User.hasMany(Ballot, foreignKey('userId'));
  Ballot.belongsTo(User, foreignKey('userId'));
}
