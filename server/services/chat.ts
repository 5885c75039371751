import type { Sequelize } from 'sequelize';
import { ChatMessage, User } from '../../db/models';
import { writeTransaction } from '../../db/transactions';
import type { ChatMessageView } from '../../protocol/chat';
import type { ChatAnnexEntry } from '../../protocol/minutes';

type WithAuthor = ChatMessage & { author?: User };

const viewOf = (m: WithAuthor): ChatMessageView => ({
  id: m.id, authorId: m.authorId, nameAr: m.author?.nameAr ?? '', nameFr: m.author?.nameFr ?? '', text: m.text, sentAt: m.sentAt.toISOString(),
});

/** A session's messages with their authors, oldest first. */
async function messagesOf(sessionId: number): Promise<WithAuthor[]> {
  return (await ChatMessage.findAll({ where: { sessionId }, include: [{ model: User, as: 'author' }], order: [['id', 'ASC']] })) as WithAuthor[];
}

/** The meeting chat of sessions: each message written before anyone is told of it, read back for late joiners and the minutes. */
export class ChatService {
  constructor(private readonly sequelize: Sequelize) {}

  /** Persists a message of `authorId` in the session's chat. */
  async post(sessionId: number, authorId: number, text: string, at = new Date()): Promise<ChatMessageView> {
    const message = await writeTransaction(this.sequelize, (transaction) => ChatMessage.create({ sessionId, authorId, text, sentAt: at }, { transaction }));
    const author = await User.findByPk(authorId, { attributes: ['nameAr', 'nameFr'] });
    return viewOf(Object.assign(message, { author: author ?? undefined }));
  }

  /** Everything written in the session's chat so far. */
  async history(sessionId: number): Promise<ChatMessageView[]> {
    return (await messagesOf(sessionId)).map(viewOf);
  }
}

/** The session's chat as the minutes' annex assembles it (no exclusion yet: those are the secretary's, kept in the draft). */
export async function chatAnnexOf(sessionId: number): Promise<ChatAnnexEntry[]> {
  return (await messagesOf(sessionId)).map((m) => {
    const { id, authorId, nameAr, nameFr, text, sentAt } = viewOf(m);
    return { messageId: id, userId: authorId, nameAr, nameFr, sentAt, text, excluded: null };
  });
}
