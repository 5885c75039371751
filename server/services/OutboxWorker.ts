import { EventEmitter } from 'node:events';
import nodemailer from 'nodemailer';
import { Op, type Sequelize } from 'sequelize';
import { OutboxMessage } from '../../db/models';
import { claimable, writeTransaction } from '../../db/transactions';
import type { Config } from '../config';
import type { Logger } from '../log';
import { smsSender } from './smsSender';

export interface OutboxWorkerEvents {
  sent: [message: OutboxMessage];
  failed: [message: OutboxMessage, error: Error];
  closed: [];
}

export interface OutboxWorkerOptions {
  /** The database whose outbox this worker sends (its write path claims the messages). */
  sequelize: Sequelize;
  smtp: Config['smtp'];
  log: Logger;
  /** The outbox's SMS: sent by a second worker through this gateway (none: they wait). */
  sms?: Config['sms'];
  /** How often the outbox is looked at. */
  pollMs?: number;
  /** First retry delay; doubles per attempt up to maxRetryMs. */
  retryBaseMs?: number;
  maxRetryMs?: number;
}

/** Messages one pass claims; each is sent within its SMTP timeouts (40 s at worst), well inside the claim. */
const BATCH = 10;
/** How long a claimed message is left to the node that claimed it: a node that died with it, another sends it after that. */
const CLAIM_MS = 10 * 60_000;

/**
 * Sends one channel of the outbox table, in order: email over SMTP, or SMS through the
 * gateway. A message is marked sent only after the server accepted it; a failure is recorded
 * and retried later (exponential backoff), so a failing server loses nothing. Without
 * settings for the channel its messages simply wait.
 */
export class OutboxWorker extends EventEmitter<OutboxWorkerEvents> {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;
  #closed = false;

  private constructor(
    readonly sequelize: Sequelize,
    /** Which of the outbox's messages this worker sends. */
    readonly channel: OutboxMessage['channel'],
    /** Hands a message to the email or SMS gateway; resolves once it accepted it. Undefined: not configured. */
    readonly send: ((message: OutboxMessage) => Promise<unknown>) | undefined,
    readonly closeSender: () => void,
    readonly log: Logger,
    readonly pollMs: number,
    readonly retryBaseMs: number,
    readonly maxRetryMs: number,
  ) {
    super();
  }

  static create(opts: OutboxWorkerOptions): OutboxWorker {
    const { smtp } = opts;
    const transport = smtp.host
      ? nodemailer.createTransport({
          host: smtp.host, port: smtp.port, secure: smtp.secure,
          auth: smtp.user ? { user: smtp.user, pass: smtp.password ?? '' } : undefined,
          connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000,
        })
      : undefined;
    // A transport reports some faults (a pooled connection, an OAuth2 token) as events, not as a failed send.
    transport?.on('error', (err) => opts.log.warn({ err }, 'smtp transport error'));
    const send = transport && ((message: OutboxMessage) => transport.sendMail({
      from: smtp.from, to: message.toAddress, subject: message.subject, text: message.text,
      ...(message.html ? { html: message.html } : {}),
      ...(message.ics ? { icalEvent: { method: 'REQUEST', filename: 'invite.ics', content: message.ics } } : {}),
    }));
    return OutboxWorker.#start(opts, 'email', send, () => transport?.close());
  }

  /** The worker for the outbox's SMS, through the gateway of `opts.sms` (SMS_SENDER). */
  static createSms(opts: OutboxWorkerOptions): OutboxWorker {
    const sender = opts.sms ? smsSender(opts.sms) : undefined;
    return OutboxWorker.#start(opts, 'sms', sender, () => undefined);
  }

  static #start(opts: OutboxWorkerOptions, channel: OutboxMessage['channel'], send: OutboxWorker['send'], closeSender: () => void): OutboxWorker {
    const worker = new OutboxWorker(opts.sequelize, channel, send, closeSender, opts.log, opts.pollMs ?? 2000, opts.retryBaseMs ?? 5000, opts.maxRetryMs ?? 15 * 60_000);
    if (send) worker.#schedule();
    return worker;
  }

  get closed(): boolean {
    return this.#closed;
  }

  #schedule(): void {
    if (this.#closed) return;
    this.#timer = setTimeout(() => {
      // A pass that fails as a whole (the database busy or closing) is logged; the next one tries again.
      this.runOnce()
        .catch((err: Error) => this.log.error({ err }, 'outbox pass failed'))
        .finally(() => this.#schedule());
    }, this.pollMs);
    this.#timer.unref();
  }

  /** Sends every message due at `now`; returns how many went out. One pass at a time. */
  runOnce(now = new Date()): Promise<number> {
    this.#running ??= this.#pass(now).finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #pass(now: Date): Promise<number> {
    if (!this.send) return 0;
    const due = await this.#claim(now);
    let sent = 0;
    for (const message of due) {
      if (this.#closed) break;
      try {
        await this.send(message);
        await this.#record(message, { sentAt: new Date(), attempts: message.attempts + 1, lastError: null });
        sent++;
        this.emit('sent', message);
      } catch (err) {
        const attempts = message.attempts + 1;
        const delay = Math.min(this.retryBaseMs * 2 ** (attempts - 1), this.maxRetryMs);
        await this.#record(message, { attempts, lastError: (err as Error).message.slice(0, 500), nextAttemptAt: new Date(Date.now() + delay) });
        this.log.warn({ outboxId: message.id, attempts, error: (err as Error).message }, 'notification not sent; will retry');
        this.emit('failed', message, err as Error);
      }
    }
    return sent;
  }

  /** Writes what became of a message through the serialised write path. */
  #record(message: OutboxMessage, outcome: Partial<Pick<OutboxMessage, 'sentAt' | 'attempts' | 'lastError' | 'nextAttemptAt'>>): Promise<unknown> {
    return writeTransaction(this.sequelize, (transaction) => message.update(outcome, { transaction }));
  }

  /**
   * Takes the due messages for this node: with several nodes on PostgreSQL, rows another node's
   * pass holds are skipped, and the ones taken are set aside for CLAIM_MS, so each message is
   * sent by one node (and again only if that node dies between SMTP's answer and the commit).
   */
  #claim(now: Date): Promise<OutboxMessage[]> {
    return writeTransaction(this.sequelize, async (transaction) => {
      const due = await OutboxMessage.findAll({ where: { channel: this.channel, sentAt: null, droppedAt: null, nextAttemptAt: { [Op.lte]: now } }, order: [['id', 'ASC']], limit: BATCH, ...claimable(transaction) });
      if (due.length) await OutboxMessage.update({ nextAttemptAt: new Date(now.getTime() + CLAIM_MS) }, { where: { id: due.map((m) => m.id) }, transaction });
      return due;
    });
  }

  /** Stops the loop and waits for a pass in flight (the database is still open). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#running?.catch(() => 0);
    this.closeSender();
    this.emit('closed');
  }
}
