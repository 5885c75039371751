import { io as connect, type Socket } from 'socket.io-client';
import type { Ack, MeetingClientEvents, MeetingServerEvents, MeetingSession, MeetingSnapshot, PresenceMode } from '../../protocol/meeting';
import { ApiClient } from './http';

/** A socket.io client of the `/meeting` namespace, as the test process or a benchmark drives it. */
export type MeetingClient = Socket<MeetingServerEvents, MeetingClientEvents>;

/** A `/meeting` socket logged in as `email` or with a logged-in client's cookies (no cookie without one), without automatic reconnection. */
export async function meetingSocket(baseUrl: string, who?: string | ApiClient): Promise<MeetingClient> {
  const cookie = who === undefined ? '' : (typeof who === 'string' ? await ApiClient.loggedIn(baseUrl, who) : who).cookieHeader;
  return connect(`${baseUrl}/meeting`, { transports: ['websocket'], extraHeaders: { cookie }, reconnection: false, forceNew: true });
}

/** Emits a request (any payload, well-formed or not) and resolves its acknowledgement. */
export function meetingRequest<T = unknown>(socket: MeetingClient, event: string, payload: unknown): Promise<Ack<T>> {
  return (socket as unknown as Socket).timeout(10_000).emitWithAck(event, payload);
}

/** Joins a session's meeting (audio-only by default: no media is set up) and returns the snapshot. */
export async function joinMeeting(socket: MeetingClient, sessionId: number, mode: PresenceMode = 'audio'): Promise<MeetingSnapshot> {
  const res = await meetingRequest<MeetingSnapshot>(socket, 'join', { sessionId, mode });
  if (!res.ok) throw new Error(`join session ${sessionId}: ${JSON.stringify(res.error)}`);
  return res.data;
}

/** `email`'s socket joined to the session (audio-only), kept in `sockets` for the test's afterAll to disconnect; with the join snapshot. */
export async function joinedSocket(baseUrl: string, email: string, sessionId: number, sockets: MeetingClient[]): Promise<{ socket: MeetingClient; snapshot: MeetingSnapshot }> {
  const socket = await meetingSocket(baseUrl, email);
  sockets.push(socket);
  return { socket, snapshot: await joinMeeting(socket, sessionId) };
}

/** The chair, joined, opens the session: it is live from then on (attendance, the dossiers shown, the votes). */
export async function openSession(chair: MeetingClient): Promise<MeetingSession> {
  return meetingData<MeetingSession>(chair, 'openSession', {});
}

/** The chair opens the session from a socket of their own, then leaves: the session is live for what a test does next. */
export async function openedByChair(baseUrl: string, sessionId: number, chairLogin: string | ApiClient = 'chair@ain-draham.tn'): Promise<void> {
  const chair = await meetingSocket(baseUrl, chairLogin);
  try {
    await joinMeeting(chair, sessionId);
    await openSession(chair);
    await meetingData(chair, 'leave', {});
  } finally {
    chair.disconnect();
  }
}

/** The next `event` the socket receives. */
export function nextEvent<E extends keyof MeetingServerEvents>(socket: MeetingClient, event: E): Promise<Parameters<MeetingServerEvents[E]>[0]> {
  return new Promise((resolve) => (socket as unknown as Socket).once(event as string, resolve));
}

/** A request that must succeed: its data, or an error naming the event and the refusal. */
export async function meetingData<T>(socket: MeetingClient, event: string, payload: unknown): Promise<T> {
  const res = await meetingRequest<T>(socket, event, payload);
  if (!res.ok) throw new Error(`${event} ${JSON.stringify(payload)}: ${JSON.stringify(res.error)}`);
  return res.data;
}
