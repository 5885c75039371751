import { EventEmitter } from 'node:events';
import { UniqueConstraintError, type Sequelize } from 'sequelize';
import { SessionLease } from '../../db/models';
import { forUpdate, writeTransaction } from '../../db/transactions';
import { leaseVerdict, renewEveryMs } from '../domain/sessionLease';
import type { Logger } from '../log';

export interface SessionLeasesOptions {
  sequelize: Sequelize;
  /** This node's name (NODE_ID): the load balancer's name for it too. */
  nodeId: string;
  /** How long a lease lasts without renewal: how soon another node may take a dead node's sessions. */
  ttlMs: number;
  log: Logger;
}

export interface SessionLeasesEvents {
  /** Another node took a session this node held (this node stalled past the lease): its meeting must go. */
  lost: [sessionId: number];
}

/** Who holds a session's meeting: this node, or the one named. */
export type Claim = { mine: true } | { mine: false; nodeId: string };

/**
 * The leases of the live sessions this node holds (a row per session in `session_leases`,
 * renewed every third of its term). A session's meeting lives on the node holding its lease;
 * when that node dies, its leases run out and the next join on another node takes them.
 */
export class SessionLeases extends EventEmitter<SessionLeasesEvents> {
  readonly held = new Set<number>();
  #timer: NodeJS.Timeout | undefined;
  #renewing: Promise<void> | undefined;
  #closed = false;

  private constructor(private readonly opts: SessionLeasesOptions) {
    super();
  }

  static create(opts: SessionLeasesOptions): SessionLeases {
    const leases = new SessionLeases(opts);
    leases.#timer = setInterval(() => void leases.renew(), renewEveryMs(opts.ttlMs));
    leases.#timer.unref();
    return leases;
  }

  /** Takes the session's lease unless another node holds it; a concurrent first claim on another node wins once. */
  async claim(sessionId: number): Promise<Claim> {
    if (this.#closed) throw new Error('the node is stopping');
    try {
      return await this.#claim(sessionId);
    } catch (error) {
      // Two nodes inserted the first row at once: the other one's insert committed first.
      if (!(error instanceof UniqueConstraintError)) throw error;
      return this.#claim(sessionId);
    }
  }

  #claim(sessionId: number): Promise<Claim> {
    return writeTransaction(this.opts.sequelize, async (transaction) => {
      const now = new Date();
      const row = await SessionLease.findByPk(sessionId, forUpdate(transaction));
      const verdict = leaseVerdict(row ?? undefined, this.opts.nodeId, now);
      if (verdict.kind === 'held') return { mine: false, nodeId: verdict.nodeId };
      const expiresAt = new Date(now.getTime() + this.opts.ttlMs);
      if (row) {
        if (verdict.kind === 'take') this.opts.log.info({ sessionId, from: row.nodeId }, 'session taken over from a node whose lease ran out');
        await row.update({ nodeId: this.opts.nodeId, expiresAt }, { transaction });
      } else {
        await SessionLease.create({ sessionId, nodeId: this.opts.nodeId, expiresAt }, { transaction });
      }
      this.held.add(sessionId);
      return { mine: true };
    });
  }

  /** The meeting closed here: the lease goes, so any node may hold it next. */
  async release(sessionId: number): Promise<void> {
    if (!this.held.delete(sessionId)) return;
    await writeTransaction(this.opts.sequelize, (transaction) => SessionLease.destroy({ where: { sessionId, nodeId: this.opts.nodeId }, transaction }));
  }

  /** Extends every lease held; one another node took meanwhile is lost (`lost`). One pass at a time. */
  renew(): Promise<void> {
    this.#renewing ??= this.#renew()
      .catch((err: Error) => this.opts.log.error({ err }, 'lease renewal failed; retrying at the next beat'))
      .finally(() => (this.#renewing = undefined));
    return this.#renewing;
  }

  async #renew(): Promise<void> {
    if (this.#closed || this.held.size === 0) return;
    const ids = [...this.held];
    const lost = await writeTransaction(this.opts.sequelize, async (transaction) => {
      const expiresAt = new Date(Date.now() + this.opts.ttlMs);
      await SessionLease.update({ expiresAt }, { where: { sessionId: ids, nodeId: this.opts.nodeId }, transaction });
      const mine = await SessionLease.findAll({ where: { sessionId: ids, nodeId: this.opts.nodeId }, attributes: ['sessionId'], transaction });
      const still = new Set(mine.map((r) => r.sessionId));
      return ids.filter((id) => !still.has(id));
    });
    for (const sessionId of lost) {
      if (!this.held.delete(sessionId)) continue;
      this.opts.log.warn({ sessionId }, 'session lease lost to another node; its meeting here closes');
      this.emit('lost', sessionId);
    }
  }

  /** Stops renewing and hands every lease back at once (a node that dies leaves them to run out after their term). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    await this.#renewing;
    const ids = [...this.held];
    this.held.clear();
    if (ids.length) {
      await writeTransaction(this.opts.sequelize, (transaction) =>
        SessionLease.destroy({ where: { sessionId: ids, nodeId: this.opts.nodeId }, transaction }),
      ).catch((err: Error) => this.opts.log.warn({ err }, 'leases not handed back; they run out by themselves'));
    }
  }
}
