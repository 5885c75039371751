import type { Transaction } from 'sequelize';
import { OutboxMessage, User } from '../../db/models';
import { composeNotice, type Notice } from './notices';
import { smsAllowance } from '../services/smsQuota';
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

/** Queues `notice` for a dossier's applicant, by email, and by SMS too when they asked for it (counted against the dossier's municipality). */
export async function notifyApplicant(dossier: { applicantId: number; municipalityId: number }, notice: Notice, transaction: Transaction, opts: QueueOptions = {}): Promise<void> {
  const user = await User.findByPk(dossier.applicantId, { transaction });
  if (!user) return;
  await queueNotice([user.email], notice, transaction, opts);
  await queueSms(dossier.municipalityId, [user], notice, transaction, opts);
}

/**
 * Queues the SMS form of `notice` for those of `users` who asked for SMS and gave a number;
 * the others get nothing. Past the municipality's monthly quota an SMS is written dropped
 * (`droppedAt`, `over_quota`) and never sent: the email carries the notice, and an SMS held
 * to next month would announce a past session or an old request.
 */
export async function queueSms(municipalityId: number, users: readonly User[], notice: Notice, transaction: Transaction, opts: QueueOptions = {}): Promise<void> {
  const to = users.filter((u) => u.smsOptIn && u.smsNumber);
  if (to.length === 0) return;
  const text = smsText(notice);
  const allowed = await smsAllowance(municipalityId, to.length, transaction);
  const now = new Date();
  await OutboxMessage.bulkCreate(to.map((u, i) => ({
    ...queued(opts), channel: 'sms' as const, municipalityId, toAddress: u.smsNumber!, subject: notice.kind, text, ics: null,
    ...(i < allowed ? {} : { droppedAt: now, lastError: 'over_quota' }),
  })), { transaction });
}
