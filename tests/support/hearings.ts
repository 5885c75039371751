import { OutboxMessage } from '../../db/models';
import { io as connect, type Socket } from 'socket.io-client';
import type { GuestClientEvents, GuestServerEvents, HearingInvitationView, InviteGuest } from '../../protocol/hearings';
import { sessionWithDossiers } from './agenda';
import { ApiClient } from './http';
import { joinMeeting, meetingSocket, openSession, type MeetingClient } from './meetingSocket';

/** The one-time token of an invitation, read from the email the outbox holds for it. */
export async function linkTokenOf(invitationId: number): Promise<string> {
  const mail = await OutboxMessage.findOne({ where: { about: `hearing:${invitationId}`, channel: 'email' } });
  const token = /\/hearing#([A-Za-z0-9_-]{43})/.exec(mail?.text ?? '')?.[1];
  if (!token) throw new Error(`no hearing link for invitation ${invitationId}`);
  return token;
}

/** `who` invites a guest; the invitation and its link's token. */
export async function invite(inviter: ApiClient, body: InviteGuest): Promise<{ invitation: HearingInvitationView; token: string }> {
  const res = await inviter.post('/api/hearings', body);
  if (res.status !== 201) throw new Error(`invite: ${res.status} ${JSON.stringify(res.body)}`);
  return { invitation: res.body, token: await linkTokenOf(res.body.id) };
}

/** A guest's browser that followed its link: it holds the guest cookie. */
export async function guestClient(baseUrl: string, token: string): Promise<ApiClient> {
  const guest = new ApiClient(baseUrl);
  const res = await guest.post('/api/hearings/redeem', { token });
  if (res.status !== 200) throw new Error(`redeem: ${res.status} ${JSON.stringify(res.body)}`);
  return guest;
}

/** A `/hearing` socket with a guest's cookies (none without a client), without automatic reconnection. */
export function guestSocket(baseUrl: string, guest?: ApiClient): GuestClient {
  return connect(`${baseUrl}/hearing`, { transports: ['websocket'], extraHeaders: { cookie: guest?.cookieHeader ?? '' }, reconnection: false, forceNew: true });
}
export type GuestClient = Socket<GuestServerEvents, GuestClientEvents>;

/** The next `event` a guest's socket receives. */
export function nextGuestEvent<E extends keyof GuestServerEvents>(socket: GuestClient, event: E): Promise<Parameters<GuestServerEvents[E]>[0]> {
  return new Promise((resolve) => (socket as unknown as Socket).once(event as string, resolve));
}

/**
 * A live session with `count` dossiers on its agenda (sessionWithDossiers, the i-th with the
 * PDFs of `files[i]`) and the chair's socket, joined, that opened it: where guests are heard.
 */
export async function liveSessionWithDossiers(baseUrl: string, count: number, files: Partial<Record<string, string>>[] = []) {
  const session = await sessionWithDossiers(baseUrl, count, files);
  const chairSocket: MeetingClient = await meetingSocket(baseUrl, 'chair@ain-draham.tn');
  await joinMeeting(chairSocket, session.sessionId);
  await openSession(chairSocket);
  return { ...session, chairSocket };
}
