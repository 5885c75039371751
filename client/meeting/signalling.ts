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

/**
 * Requests the client sends by itself, every round or on every move: a document's ranges
 * do not wait for their answers (a member with video tiles asks for layers every 2 s, and a
 * rural line's answer takes most of a second: the presenter's next page waited seconds for
 * a gap between them). What a person waits for (a ballot, a message) still goes first.
 */
const BACKGROUND: ReadonlySet<string> = new Set<keyof MeetingClientEvents>(['setConsumerLayers', 'setQuality', 'pointer']);

/** Whether bulk transfers wait for the answer to a request `event` (settled). */
export const holdsBulk = (event: string): boolean => !BACKGROUND.has(event);

/** Requests of each socket still waiting for their answer, and who waits for there to be none. */
const outstanding = new WeakMap<MeetingSocket, { count: number; waiters: (() => void)[] }>();
const pendingOf = (socket: MeetingSocket) => outstanding.get(socket) ?? outstanding.set(socket, { count: 0, waiters: [] }).get(socket)!;

/** Sends one request and resolves its acknowledged data, or throws the refusal as a RequestError. */
export async function request<E extends keyof MeetingClientEvents>(
  socket: MeetingSocket,
  event: E,
  payload: Parameters<MeetingClientEvents[E]>[0],
): Promise<RequestData<E>> {
  const pending = holdsBulk(event) ? pendingOf(socket) : undefined;
  if (pending) pending.count++;
  try {
    const res = (await (socket as unknown as Socket).timeout(15_000).emitWithAck(event, payload)) as Ack<RequestData<E>>;
    if (!res.ok) throw new RequestError(res.error.code, res.error.message, res.error.details);
    return res.data;
  } finally {
    if (pending && --pending.count === 0) for (const wake of pending.waiters.splice(0)) wake();
  }
}

/**
 * Resolves once no request of `socket` that holds bulk transfers (holdsBulk) waits for its
 * answer: on a weak line a document's ranges start after a ballot's acknowledgement, not in
 * front of it.
 */
export function settled(socket: MeetingSocket): Promise<void> {
  const pending = pendingOf(socket);
  return pending.count === 0 ? Promise.resolve() : new Promise((resolve) => pending.waiters.push(resolve));
}
