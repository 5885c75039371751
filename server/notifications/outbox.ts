import type { Transaction } from 'sequelize';
import { OutboxMessage, User } from '../../db/models';
import { composeNotice, type Notice } from './notices';
import { smsText } from './smsNotices';

export interface QueueOptions {
  /** `dossier` (the applicant's) unless given. */
  kind?: string;
  /** What the message is about, e.g. `session:12`. */
  about?: string;
  /** RFC 5545 calendar attached as invite.ics. */
  ics?: string;
}

/** What every queued message of `opts` shares: its kind, what it is about, due now. */
const queued = (opts: QueueOptions) => ({ kind: opts.kind ?? 'dossier', about: opts.about ?? null, nextAttemptAt: new Date() });

/** Queues `notice` for each address in the caller's transaction; the outbox worker sends it (and retries). */
export async function queueNotice(addresses: readonly string[], notice: Notice, transaction: Transaction, opts: QueueOptions = {}): Promise<void> {
  const { subject, text, html } = composeNotice(notice);
  await OutboxMessage.bulkCreate(addresses.map((toAddress) => ({ ...queued(opts), toAddress, subject, text, html, ics: opts.ics ?? null })), { transaction });
}

/** Queues `notice` for a user, by their email address, and by SMS too when they asked for it. */
export async function notify(userId: number, notice: Notice, transaction: Transaction, opts: QueueOptions = {}): Promise<void> {
  const user = await User.findByPk(userId, { transaction });
  if (!user) return;
  await queueNotice([user.email], notice, transaction, opts);
  await queueSms([user], notice, transaction, opts);
}

/** Queues the SMS form of `notice` for those of `users` who asked for SMS and gave a number; the others get nothing. */
export async function queueSms(users: readonly User[], notice: Notice, transaction: Transaction, opts: QueueOptions = {}): Promise<void> {
  const text = smsText(notice);
  await OutboxMessage.bulkCreate(users.filter((u) => u.smsOptIn && u.smsNumber).map((u) => ({
    ...queued(opts), channel: 'sms' as const, toAddress: u.smsNumber!, subject: notice.kind, text, ics: null,
  })), { transaction });
}

/** Queues a message written out already (subject and plain text) for a user; the case types whose texts are not notices yet use it. */
export async function notifyText(userId: number, subject: string, text: string, transaction: Transaction, opts: QueueOptions = {}): Promise<void> {
  const user = await User.findByPk(userId, { transaction });
  if (user) {
    await OutboxMessage.create({ ...queued(opts), toAddress: user.email, subject, text, ics: opts.ics ?? null }, { transaction });
  }
}
