import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hearing, HearingInvitation, Vote } from '../../db/models';
import type { GuestRoom, HearingState } from '../../protocol/hearings';
import type { Ack, TransportInfo } from '../../protocol/meeting';
import { turnCredentialValid } from '../../server/services/turnCredentials';
import { sessionWithDossiers, type ExaminedDossier } from '../support/agenda';
import { guestClient, guestSocket, invite, nextGuestEvent, type GuestClient } from '../support/hearings';
import { ApiClient } from '../support/http';
import { joinMeeting, meetingData, meetingRequest, meetingSocket, nextEvent, openSession, type MeetingClient } from '../support/meetingSocket';
import { pdfText } from '../support/pdfText';
import { startTestServer, type TestServer } from '../support/server';

const TURN_SECRET = 'a-shared-secret-for-coturn';
let t: TestServer;
let sessionId: number;
let dossiers: ExaminedDossier[];
let items: number[];
let secretaryApi: ApiClient;
const members = new Map<string, MeetingClient>();
const guests: GuestClient[] = [];
const chair = () => members.get('chair')!;
const ask = <T = unknown>(s: GuestClient, event: string, payload: unknown): Promise<Ack<T>> => (s as unknown as Socket).timeout(10_000).emitWithAck(event, payload);
const refused = (code: string) => ({ ok: false, error: { code } });

async function waitingGuest(agendaItem = 0): Promise<{ socket: GuestClient; invitationId: number; api: ApiClient }> {
  const { invitation, token } = await invite(secretaryApi, { sessionId, agendaItemId: items[agendaItem]!, dossierId: dossiers[agendaItem]!.dossierId, name: 'Amina Ben Salah', email: 'amina@example.tn' });
  const api = await guestClient(t.url, token);
  const socket = guestSocket(t.url, api);
  guests.push(socket);
  const told = nextEvent(chair(), 'hearing');
  const entered = await ask<{ room: GuestRoom | null }>(socket, 'enterLobby', {});
  expect(entered).toMatchObject({ ok: true, data: { guest: { invitationId: invitation.id, agendaItemId: items[agendaItem] }, room: null } });
  expect((await told).waiting.map((g) => g.invitationId)).toContain(invitation.id);
  return { socket, invitationId: invitation.id, api };
}

beforeAll(async () => {
  t = await startTestServer((c) => void (c.turn = { urls: ['turns:127.0.0.1:5349?transport=tcp'], secret: TURN_SECRET, ttlSeconds: 3600, relayOnly: false }));
  ({ sessionId, dossiers, items } = await sessionWithDossiers(t.url, 2));
  secretaryApi = await ApiClient.loggedIn(t.url, 'secretary@ain-draham.tn');
  for (const who of ['chair', 'secretary', 'architect', 'engineer', 'urbanism', 'steg', 'protection']) {
    const socket = await meetingSocket(t.url, `${who}@ain-draham.tn`);
    members.set(who, socket);
    await joinMeeting(socket, sessionId);
  }
  await openSession(chair());
}, 180_000);

afterAll(async () => {
  for (const s of [...members.values(), ...guests]) s.disconnect();
  await t?.close();
});

describe('a guest heard on one item', () => {
  it('connects to /hearing only with a guest login', async () => {
    const anonymous = guestSocket(t.url);
    guests.push(anonymous);
    const error = await new Promise<{ data?: { error: { code: string } } }>((resolve) => (anonymous as unknown as Socket).once('connect_error', resolve));
    expect(error.data?.error.code).toBe('unauthenticated');
  });

  let heard: Awaited<ReturnType<typeof waitingGuest>>;

  it('waits in the lobby: the committee sees who waits for which item; the lobby asks for nothing else', async () => {
    heard = await waitingGuest(0);
    const state = (await meetingData<unknown>(members.get('engineer')!, 'join', { sessionId, mode: 'audio' })) as { features: { hearing: HearingState } };
    expect(state.features.hearing.waiting).toEqual([expect.objectContaining({ invitationId: heard.invitationId, name: 'Amina Ben Salah', position: 1, agendaItemId: items[0] })]);
    expect(state.features.hearing.admitted).toEqual([]);
    for (const event of ['createTransport', 'produce', 'consume', 'openVote', 'castBallot', 'present', 'openItem', 'sendChat', 'join', 'pointer', 'getMinutes']) {
      expect(await ask(heard.socket, event, {}), event).toMatchObject(refused('guest_not_allowed'));
    }
  });

  it('is admitted by the chair only, and only while their item is the open one', async () => {
    const admit = (who: string) => meetingRequest(members.get(who)!, 'admitGuest', { invitationId: heard.invitationId });
    expect(await admit('secretary')).toMatchObject(refused('forbidden'));
    expect(await admit('architect')).toMatchObject(refused('forbidden'));
    expect(await admit('chair')).toMatchObject(refused('hearing_not_open'));
    await meetingData(chair(), 'openItem', { agendaItemId: items[1] });
    expect(await admit('chair')).toMatchObject(refused('hearing_not_open'));
    expect(await meetingRequest(chair(), 'admitGuest', { invitationId: 999_999 })).toMatchObject(refused('not_found'));
    await meetingData(chair(), 'openItem', { agendaItemId: items[0] });
    const admitted = nextGuestEvent(heard.socket, 'admitted');
    const told = nextEvent(members.get('architect')!, 'hearing');
    expect(await admit('chair')).toEqual({ ok: true, data: null });
    const room = await admitted;
    expect(room.item).toMatchObject({ id: items[0], dossierId: dossiers[0]!.dossierId });
    expect(room.item.documents.map((d) => d.versionId)).toEqual(dossiers[0]!.documents.map((d) => d.versionId));
    expect(room.presentation).toMatchObject({ currentItemId: items[0] });
    expect(room.participants.map((p) => p.nameFr).length).toBe(7);
    expect(room.media.routerRtpCapabilities).toBeTruthy();
    expect((await told).admitted.map((g) => g.invitationId)).toEqual([heard.invitationId]);
    expect(await admit('chair')).toMatchObject(refused('conflict'));
    const row = (await Hearing.findOne({ where: { invitationId: heard.invitationId } }))!;
    expect({ sessionId: row.sessionId, agendaItemId: row.agendaItemId, leftAt: row.leftAt }).toEqual({ sessionId, agendaItemId: items[0], leftAt: null });
  });

  it('in the room, may set up media (audio from the microphone, video from the camera) and nothing outside the hearing', async () => {
    const transport = await ask<TransportInfo>(heard.socket, 'createTransport', { direction: 'send' });
    expect(transport).toMatchObject({ ok: true, data: { id: expect.any(String), iceTransportPolicy: 'all' } });
    // TURN credentials of their own (minus the invitation's id), as a member's: a guest behind a firewall is heard too.
    const [turn] = transport.ok ? transport.data.iceServers! : [];
    expect(turn!.username).toMatch(new RegExp(`^\\d+:-${heard.invitationId}$`));
    expect(turnCredentialValid(TURN_SECRET, turn!.username, turn!.credential)).toBe(true);
    expect(await ask(heard.socket, 'produce', { transportId: transport.ok ? transport.data.id : '', kind: 'audio', source: 'camera', rtpParameters: {} })).toMatchObject(refused('invalid_payload'));
    for (const [event, payload] of [
      ['openVote', { agendaItemId: items[0], question: 'x' }], ['castBallot', { voteId: 1, choice: 'favourable' }], ['present', { view: {} }],
      ['openItem', { agendaItemId: items[1] }], ['sendChat', { text: 'bonjour' }], ['pointer', { at: null }], ['raiseHand', {}], ['admitGuest', { invitationId: heard.invitationId }],
      ['join', { sessionId, mode: 'audio' }], ['getMinutes', {}], ['muteParticipant', { userId: 1 }], ['nonsense', {}],
    ] as const) {
      expect(await ask(heard.socket, event, payload), event).toMatchObject(refused('guest_not_allowed'));
    }
    // Their own dossier's documents, not the other item's.
    expect((await heard.api.get(`/api/hearings/guest/documents/${dossiers[1]!.documents[0]!.versionId}/content`)).status).toBe(404);
    expect((await heard.api.get(`/api/documents/versions/${dossiers[0]!.documents[0]!.versionId}/content`)).status).toBe(404);
  });

  it('is not sent the presentation of another item', async () => {
    const other = nextGuestEvent(heard.socket, 'presentation');
    await meetingData(chair(), 'openItem', { agendaItemId: items[1] });
    expect(await other).toBeNull();
    const back = nextGuestEvent(heard.socket, 'presentation');
    await meetingData(chair(), 'openItem', { agendaItemId: items[0] });
    expect(await back).toMatchObject({ currentItemId: items[0] });
  });

  it('no vote opens while the guest is in the room', async () => {
    expect(await meetingRequest(chair(), 'openVote', { agendaItemId: items[0], question: 'Avis ?' })).toMatchObject(refused('guest_present'));
  });

  it('the chair ends the hearing: the guest is told and let go, their login ends, the hearing is recorded, the vote opens', async () => {
    expect(await meetingRequest(members.get('secretary')!, 'endHearing', { invitationId: heard.invitationId })).toMatchObject(refused('forbidden'));
    const ended = nextGuestEvent(heard.socket, 'hearingEnded');
    const gone = new Promise((resolve) => (heard.socket as unknown as Socket).once('disconnect', resolve));
    expect(await meetingRequest(chair(), 'endHearing', { invitationId: heard.invitationId })).toEqual({ ok: true, data: null });
    expect(await ended).toEqual({ reason: 'ended' });
    await gone;
    const row = (await Hearing.findOne({ where: { invitationId: heard.invitationId } }))!;
    expect(row.leftAt!.getTime()).toBeGreaterThanOrEqual(row.admittedAt.getTime());
    expect((await HearingInvitation.findByPk(heard.invitationId))!.endedAt).not.toBeNull();
    expect((await heard.api.get('/api/hearings/guest')).status).toBe(401);
    const vote = await meetingRequest(chair(), 'openVote', { agendaItemId: items[0], question: 'Avis ?' });
    expect(vote.ok, JSON.stringify(vote)).toBe(true);
  });

  it('a revoked invitation lets its waiting guest go', async () => {
    const waiting = await waitingGuest(1);
    const ended = nextGuestEvent(waiting.socket, 'hearingEnded');
    expect((await secretaryApi.post(`/api/hearings/${waiting.invitationId}/revoke`)).status).toBe(200);
    expect(await ended).toEqual({ reason: 'revoked' });
  });
  it('the minutes (draft and PDF, Arabic and French) cite the hearing under its item', async () => {
    const draft = await secretaryApi.get(`/api/minutes/${sessionId}`);
    expect(draft.status).toBe(200);
    const [first, second] = draft.body.content.items;
    expect(first.hearings).toEqual([{ name: 'Amina Ben Salah', admittedAt: expect.any(String), leftAt: expect.any(String) }]);
    expect(second.hearings).toEqual([]);
    const vote = await Vote.findOne({ where: { agendaItemId: items[0], status: 'open' } });
    await meetingData(chair(), 'closeVote', { voteId: vote!.id, reasons: 'Dossier examiné après audition.' });
    await meetingData(chair(), 'endSession', {});
    expect((await secretaryApi.post(`/api/minutes/${sessionId}/finalize`)).status).toBe(200);
    for (const [lang, heading] of [['fr', 'Entendu(e) par la commission'], ['ar', 'استمعت إليه اللجنة']] as const) {
      const res = await fetch(`${t.url}/api/minutes/${sessionId}/pdf?lang=${lang}`, { headers: { cookie: secretaryApi.cookieHeader } });
      const text = pdfText(Buffer.from(await res.arrayBuffer()));
      expect(text, lang).toContain(heading);
      expect(text, lang).toContain('Amina Ben Salah');
    }
  });

});
