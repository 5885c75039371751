import { DataTypes, Model, type CreationOptional, type ForeignKey, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { foreignKey, idColumn } from './columns';
import { User } from './identity';
import { CommitteeSession } from './sessions';

/** A message to everyone in a session's meeting, with its author and time. */
export class ChatMessage extends Model<InferAttributes<ChatMessage>, InferCreationAttributes<ChatMessage>> {
  declare id: CreationOptional<number>;
  declare sessionId: ForeignKey<number>;
  declare authorId: ForeignKey<number>;
  declare text: string;
  declare sentAt: Date;
}

export function initChat(sequelize: Sequelize): void {
  ChatMessage.init(
    { id: idColumn(), text: { type: DataTypes.TEXT, allowNull: false }, sentAt: { type: DataTypes.DATE, allowNull: false } },
    { sequelize, tableName: 'chat_messages', timestamps: false },
  );
  CommitteeSession.hasMany(ChatMessage, foreignKey('sessionId'));
  ChatMessage.belongsTo(CommitteeSession, foreignKey('sessionId'));
  ChatMessage.belongsTo(User, { as: 'author', ...foreignKey('authorId') });
}
