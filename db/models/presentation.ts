import {
  DataTypes,
  Model,
  type CreationOptional,
  type ForeignKey,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import type { PresentedView } from '../../protocol/presentation';
import { foreignKey, idColumn, jsonColumn } from './columns';
import { AgendaItem, DocumentVersion } from './dossiers';
import { User } from './identity';
import { CommitteeSession } from './sessions';

/** Where a session's presentation stands: the item under discussion, the presenter, the presenter's view. */
export class SessionPresentation extends Model<InferAttributes<SessionPresentation>, InferCreationAttributes<SessionPresentation>> {
  declare sessionId: number;
  declare currentItemId: number | null;
  declare presenterId: number | null;
  declare view: PresentedView | null;
  declare updatedAt: CreationOptional<Date>;
}

/** A document version shown to the committee for an agenda item: what its vote and minutes cite. */
export class ShownDocument extends Model<InferAttributes<ShownDocument>, InferCreationAttributes<ShownDocument>> {
  declare id: CreationOptional<number>;
  declare agendaItemId: ForeignKey<number>;
  declare documentVersionId: ForeignKey<number>;
  declare shownById: ForeignKey<number>;
  declare sha256: string;
  declare firstShownAt: Date;
}

export function initPresentation(sequelize: Sequelize): void {
  SessionPresentation.init(
    {
      sessionId: { type: DataTypes.INTEGER, primaryKey: true },
      currentItemId: { type: DataTypes.INTEGER, allowNull: true },
      presenterId: { type: DataTypes.INTEGER, allowNull: true },
      view: jsonColumn('view'),
      updatedAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'session_presentations', createdAt: false },
  );
  ShownDocument.init(
    {
      id: idColumn(),
      sha256: { type: DataTypes.STRING(64), allowNull: false },
      firstShownAt: { type: DataTypes.DATE, allowNull: false },
    },
    { sequelize, tableName: 'shown_documents', timestamps: false },
  );
  CommitteeSession.hasOne(SessionPresentation, foreignKey('sessionId'));
  SessionPresentation.belongsTo(CommitteeSession, foreignKey('sessionId'));
  AgendaItem.hasMany(ShownDocument, foreignKey('agendaItemId'));
  ShownDocument.belongsTo(AgendaItem, foreignKey('agendaItemId'));
  ShownDocument.belongsTo(DocumentVersion, foreignKey('documentVersionId'));
  ShownDocument.belongsTo(User, { as: 'shownBy', ...foreignKey('shownById') });
}
