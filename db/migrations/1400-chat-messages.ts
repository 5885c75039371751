import { DataTypes } from 'sequelize';
import type { Migration } from './index';

/** The messages written in a session's meeting chat: part of the session's record (the minutes' annex). */
export const chatMessages: Migration = {
  name: '1400-chat-messages',
  async up({ context: q }) {
    await q.createTable('chat_messages', {
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
      sessionId: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'committee_sessions', key: 'id' } },
      authorId: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'users', key: 'id' } },
      text: { type: DataTypes.TEXT, allowNull: false },
      sentAt: { type: DataTypes.DATE, allowNull: false },
    });
    // The history is read per session, in order.
    await q.addIndex('chat_messages', ['sessionId', 'id']);
  },
  async down({ context: q }) {
    await q.dropTable('chat_messages');
  },
};
