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

/** Sends one request and resolves its acknowledged data, or throws the refusal as a RequestError. */
export async function request<E extends keyof MeetingClientEvents>(
  socket: MeetingSocket,
  event: E,
  payload: Parameters<MeetingClientEvents[E]>[0],
): Promise<RequestData<E>> {
  const res = (await (socket as unknown as Socket).timeout(15_000).emitWithAck(event, payload)) as Ack<RequestData<E>>;
  if (!res.ok) throw new RequestError(res.error.code, res.error.message, res.error.details);
  return res.data;
}
