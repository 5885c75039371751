import type { Socket } from 'socket.io-client';
import type { Ack, MeetingClientEvents, MeetingServerEvents } from '../../protocol/meeting';

/** The `/meeting` socket as the client sees it: typed by the protocol's event maps. */
export type MeetingSocket = Socket<MeetingServerEvents, MeetingClientEvents>;

/** A request the server refused, with its stable code (`protocol/errors.ts`). */
export class RequestError extends Error {
  constructor(readonly code: string, message: string, readonly details?: unknown) {
    super(message);
  }
}

/** What an acknowledged request `E` answers with. */
export type RequestData<E extends keyof MeetingClientEvents> = Parameters<Parameters<MeetingClientEvents[E]>[1]>[0] extends Ack<infer T> ? T : never;

/** Requests of each socket still waiting for their answer, and who waits for there to be none. */
const outstanding = new WeakMap<MeetingSocket, { count: number; waiters: (() => void)[] }>();
const pendingOf = (socket: MeetingSocket) => outstanding.get(socket) ?? outstanding.set(socket, { count: 0, waiters: [] }).get(socket)!;

/** Sends one request and resolves its acknowledged data, or throws the refusal as a RequestError. */
export async function request<E extends keyof MeetingClientEvents>(
  socket: MeetingSocket,
  event: E,
  payload: Parameters<MeetingClientEvents[E]>[0],
): Promise<RequestData<E>> {
  const pending = pendingOf(socket);
  pending.count++;
  try {
    const res = (await (socket as unknown as Socket).timeout(15_000).emitWithAck(event, payload)) as Ack<RequestData<E>>;
    if (!res.ok) throw new RequestError(res.error.code, res.error.message, res.error.details);
    return res.data;
  } finally {
    if (--pending.count === 0) for (const wake of pending.waiters.splice(0)) wake();
  }
}

/**
 * Resolves once no request of `socket` waits for its answer: bulk transfers on a weak line
 * (a document's ranges) start after a ballot's acknowledgement, not in front of it.
 */
export function settled(socket: MeetingSocket): Promise<void> {
  const pending = pendingOf(socket);
  return pending.count === 0 ? Promise.resolve() : new Promise((resolve) => pending.waiters.push(resolve));
}
