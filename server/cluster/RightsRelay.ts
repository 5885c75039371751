import type { Server } from 'socket.io';
import type { Logger } from '../log';
import type { RightsChange, RightsFeed } from '../services/RightsFeed';

/** The server-side event the nodes exchange rights changes with (never sent to a browser). */
const EVENT = 'lajna:rights';

/**
 * Carries the rights changes published on this node (an office action, a session ended on
 * any node) to the other app nodes over the socket.io adapter (PostgreSQL NOTIFY), and theirs
 * onto this node's feed, so that the node holding a meeting applies a change made on another.
 * A change received is not sent on again. Only with that adapter: the in-memory one (one
 * node, on SQLite) has nowhere to send to.
 */
export class RightsRelay {
  /** Changes that came from another node: published here, not relayed back. */
  readonly #received = new WeakSet<RightsChange>();
  readonly #detach: () => void;

  private constructor(io: Server, rights: RightsFeed, log: Logger) {
    const send = (change: RightsChange) => {
      if (this.#received.has(change)) return;
      io.serverSideEmit(EVENT, change);
    };
    const receive = (change: RightsChange) => {
      log.debug({ change }, 'rights change from another node');
      this.#received.add(change);
      rights.publish(change);
    };
    rights.on('change', send);
    io.on(EVENT as never, receive);
    this.#detach = () => {
      rights.off('change', send);
      io.off(EVENT as never, receive);
    };
  }

  static create(io: Server, rights: RightsFeed, log: Logger): RightsRelay {
    return new RightsRelay(io, rights, log);
  }

  close(): void {
    this.#detach();
  }
}
