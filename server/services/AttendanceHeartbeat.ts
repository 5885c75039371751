import { Op, type Sequelize } from 'sequelize';
import { AttendanceInterval } from '../../db/models';
import { forUpdate, writeTransaction } from '../../db/transactions';
import { ABANDONED_AFTER_MS, abandonedAt, HEARTBEAT_MS } from '../domain/attendance';
import type { Logger } from '../log';

export interface AttendanceHeartbeatOptions {
  sequelize: Sequelize;
  /** The sessions whose meetings this node holds now (their open stretches are members connected here). */
  sessions: () => Iterable<number>;
  log: Logger;
  intervalMs?: number;
}

/**
 * Closes the open stretches no node holds any more, at the last moment one knew the member
 * was there; `staleMs` 0 closes every open stretch (a start of the only node there is).
 * Each is marked interrupted: a member coming back starts a new stretch. Gives how many.
 */
export async function closeAbandonedStretches(sequelize: Sequelize, staleMs: number, now = new Date()): Promise<number> {
  return writeTransaction(sequelize, async (transaction) => {
    const open = await AttendanceInterval.findAll({ where: { leftAt: null }, ...forUpdate(transaction) });
    let closed = 0;
    for (const stretch of open) {
      const at = abandonedAt(stretch, now, staleMs);
      if (!at) continue;
      await stretch.update({ leftAt: at, interrupted: true }, { transaction });
      closed++;
    }
    return closed;
  });
}

/**
 * The attendance heartbeat of a node: every `intervalMs` it stamps the open stretches of
 * the meetings it holds (the members it knows are there now), and closes the stretches
 * whose node stopped stamping them (ABANDONED_AFTER_MS), so that after a crash the record
 * says the member was there until the last stamp, not "open" nor through the outage.
 * `stop` at the start of a stop, `close` once the meetings have closed their stretches:
 * those are then marked interrupted (the server stopped, not the member).
 */
export class AttendanceHeartbeat {
  #timer: NodeJS.Timeout | undefined;
  #beat: Promise<unknown> = Promise.resolve();
  #stopped: { at: Date; sessions: number[] } | undefined;

  private constructor(private readonly options: Required<AttendanceHeartbeatOptions>) {}

  static create(options: AttendanceHeartbeatOptions): AttendanceHeartbeat {
    const heartbeat = new AttendanceHeartbeat({ intervalMs: HEARTBEAT_MS, ...options });
    heartbeat.#schedule();
    return heartbeat;
  }

  #schedule(): void {
    this.#timer = setTimeout(() => {
      this.#beat = this.beat()
        .catch((err: Error) => this.options.log.error({ err }, 'attendance heartbeat failed'))
        .finally(() => this.#stopped || this.#schedule());
    }, this.options.intervalMs);
    this.#timer.unref();
  }

  /** Stamps the open stretches of the meetings held here, and closes the abandoned ones. Gives how many were stamped. */
  async beat(now = new Date()): Promise<number> {
    const sessions = [...this.options.sessions()];
    const [stamped] = sessions.length
      ? await writeTransaction(this.options.sequelize, (transaction) =>
          AttendanceInterval.update({ heartbeatAt: now }, { where: { sessionId: { [Op.in]: sessions }, leftAt: null }, transaction }))
      : [0];
    await closeAbandonedStretches(this.options.sequelize, ABANDONED_AFTER_MS, now);
    return stamped;
  }

  /** No further beat; remembers the meetings held now and when the stop began. */
  stop(at = new Date()): void {
    if (this.#stopped) return;
    this.#stopped = { at, sessions: [...this.options.sessions()] };
    clearTimeout(this.#timer);
  }

  /** After the meetings closed their stretches: those the stop closed are marked interrupted. */
  async close(): Promise<void> {
    this.stop();
    await this.#beat;
    const { at, sessions } = this.#stopped!;
    if (!sessions.length) return;
    await writeTransaction(this.options.sequelize, (transaction) =>
      AttendanceInterval.update({ interrupted: true }, { where: { sessionId: { [Op.in]: sessions }, leftAt: { [Op.gte]: at } }, transaction }));
  }
}
