import { EventEmitter } from 'node:events';
import type { CommitteeSeatKind, SessionStatus } from '../../protocol/enums';

/**
 * A change of who may do what, published by the service that made it once it has
 * committed. Plain data (JSON as it is), so that with several app nodes it can be relayed
 * over the socket.io adapter to the node holding the meeting.
 */
export type RightsChange =
  /** The session was opened (live) or ended (closed). */
  | { kind: 'session_status'; sessionId: number; status: SessionStatus; at: string }
  /** A login session ended (logout, expiry): what was done with it may not go on. */
  | { kind: 'login_ended'; loginId: string; userId: number }
  /** A committee seat was added, changed (`seat`) or removed (null). */
  | { kind: 'seat_changed'; committeeId: number; userId: number; seat: CommitteeSeatKind | null }
  /** The applicant withdrew a dossier: no meeting shows or votes on it any more. */
  | { kind: 'dossier_withdrawn'; dossierId: number };

export interface RightsFeedEvents {
  change: [change: RightsChange];
}

/**
 * Where services announce rights changes and the meeting (and later anything else that
 * holds rights in memory: open sockets, caches) hears them, at once rather than at the
 * next handshake. One per server.
 */
export class RightsFeed extends EventEmitter<RightsFeedEvents> {
  publish(change: RightsChange): void {
    this.emit('change', change);
  }
}
