import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttendanceInterval, AuditEntryRow, Ballot, CommitteeSeat, LoginSession, User } from '../../db/models';
import type { MeetingSnapshot, RevocationReason } from '../../protocol/meeting';
import type { OpenVoteView } from '../../protocol/voting';
import { agendaOfDossiers, type ExaminedDossier } from '../support/agenda';
import { ApiClient } from '../support/http';
import { createRemoteSession } from '../support/meeting';
import { joinMeeting, meetingData, meetingRequest as request, meetingSocket, nextEvent, openSession, type MeetingClient } from '../support/meetingSocket';
import { startTestServer, type TestServer } from '../support/server';

/**
 * Sockets hold only the rights their user holds now: a logout, a login's expiry, a seat
 * changed or taken away, a dossier withdrawn reach the meeting at once (RightsFeed), not at
 * the sockets' next handshake.
 */
let t: TestServer;
let sessionId: number;
/** Voted on in the first test; withdrawn in the last. */
let voted: number;
let withdrawn: ExaminedDossier;
let secretary: ApiClient;
const sockets: MeetingClient[] = [];

const CHAIR = 'chair@ain-draham.tn';
const VOTERS = ['architect@ain-draham.tn', 'engineer@ain-draham.tn', 'urbanism@ain-draham.tn', 'steg@ain-draham.tn'];
const refused = (code: string) => ({ ok: false, error: { code } });
const userId = async (email: string) => (await User.findOne({ where: { email } }))!.id;

/** A meeting socket on `api`'s login (so the test can log that very login out). */
async function socketOn(api: ApiClient): Promise<MeetingClient> {
  const socket = await meetingSocket(t.url, api);
  sockets.push(socket);
  return socket;
}

async function member(email: string): Promise<{ api: ApiClient; socket: MeetingClient; snapshot: MeetingSnapshot }> {
  const api = await ApiClient.loggedIn(t.url, email);
  const socket = await socketOn(api);
  return { api, socket, snapshot: await joinMeeting(socket, sessionId) };
}

const revoked = (socket: MeetingClient) => nextEvent(socket, 'rightsRevoked') as Promise<{ reason: RevocationReason }>;
const room = () => t.server.meeting.rooms.get(sessionId)!;

beforeAll(async () => {
  t = await startTestServer();
  sessionId = await createRemoteSession();
  [, withdrawn] = await agendaOfDossiers(t.url, sessionId, [{}, {}]);
  secretary = await ApiClient.loggedIn(t.url, 'secretary@ain-draham.tn');
}, 120_000);
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await t?.close();
});

describe('a logout with a connected socket', () => {
  it('tells the socket, takes it out of the room, refuses its next ballot, then disconnects it', async () => {
    const chair = await member(CHAIR);
    await openSession(chair.socket);
    const voters = await Promise.all(VOTERS.map(member));
    voted = chair.snapshot.features.presentation.agenda[0]!.id;
    const vote = await meetingData<OpenVoteView>(chair.socket, 'openVote', { agendaItemId: voted, question: 'Avis ?' });
    const architect = voters[0]!;
    const architectId = await userId(VOTERS[0]!);
    expect(room().presentUserIds).toContain(architectId);

    const told = revoked(architect.socket);
    const disconnected = new Promise<string>((resolve) => architect.socket.once('disconnect', resolve));
    expect((await architect.api.post('/api/auth/logout')).status).toBe(204);
    expect(await told).toEqual({ reason: 'logged_out' });
    expect(room().presentUserIds).not.toContain(architectId);
    expect(await request(architect.socket, 'castBallot', { voteId: vote.id, choice: 'favourable' })).toMatchObject(refused('unauthenticated'));
    expect(await request(architect.socket, 'join', { sessionId, mode: 'audio' })).toMatchObject(refused('unauthenticated'));
    expect(await Ballot.count({ where: { voteId: vote.id, userId: architectId } })).toBe(0);
    expect(await disconnected).toBe('io server disconnect');
    // The explicit leave closed their attendance at once (no grace period for a logout).
    await expect.poll(() => AttendanceInterval.count({ where: { sessionId, userId: architectId, leftAt: null } })).toBe(0);
    // The other members' sockets (other logins) are untouched.
    expect(await request(voters[1]!.socket, 'castBallot', { voteId: vote.id, choice: 'favourable' })).toMatchObject({ ok: true });
    expect(await request(chair.socket, 'closeVote', { voteId: vote.id })).toMatchObject({ ok: true });
  });

  it('ends only the sockets of that login: the same member on another login stays', async () => {
    const first = await member(VOTERS[3]!);
    const second = await member(VOTERS[3]!);
    const told = revoked(first.socket);
    expect((await first.api.post('/api/auth/logout')).status).toBe(204);
    expect(await told).toEqual({ reason: 'logged_out' });
    expect(await request(second.socket, 'raiseHand', {})).toEqual({ ok: true, data: null });
    expect(room().presentUserIds).toContain(await userId(VOTERS[3]!));
  });
});

describe('a login that expires while its socket is connected', () => {
  it('is revoked when it expires, not at the next handshake', async () => {
    const api = await ApiClient.loggedIn(t.url, VOTERS[2]!);
    // The stored login expires in a moment (as a 12-hour login does at its end).
    const urbanismId = await userId(VOTERS[2]!);
    const logins = await LoginSession.findAll({ where: { userId: urbanismId } });
    for (const l of logins) await l.update({ expiresAt: new Date(Date.now() + 3_000) });
    const socket = await socketOn(api);
    const told = revoked(socket);
    await joinMeeting(socket, sessionId);
    expect(await told).toEqual({ reason: 'login_expired' });
    expect(await request(socket, 'raiseHand', {})).toMatchObject(refused('unauthenticated'));
  });
});

describe('a seat changed or taken away during the meeting', () => {
  it('a chair whose seat becomes a voting one cannot open the next item; given back the chair, they can', async () => {
    const chair = await member(CHAIR);
    const chairId = await userId(CHAIR);
    const participants = nextEvent(chair.socket, 'participants');
    const changed = await secretary.put(`/api/municipalities/1/committee/seats/${chairId}`, { kind: 'voting', titleFr: 'Membre', titleAr: 'عضو' });
    expect(changed.status).toBe(200);
    expect(changed.body.seats.find((s: { user: { id: number } }) => s.user.id === chairId).kind).toBe('voting');
    expect((await participants).find((p) => p.userId === chairId)?.seat).toBe('voting');
    expect(await request(chair.socket, 'openItem', { agendaItemId: voted })).toMatchObject(refused('forbidden'));
    expect(await request(chair.socket, 'endSession', {})).toMatchObject(refused('forbidden'));
    expect((await secretary.put(`/api/municipalities/1/committee/seats/${chairId}`, { kind: 'chair' })).status).toBe(200);
    expect(await request(chair.socket, 'openItem', { agendaItemId: voted })).toEqual({ ok: true, data: null });
    const audit = await AuditEntryRow.findAll({ where: { action: 'committee.seat_set' }, order: [['seq', 'ASC']] });
    expect(audit.map((a) => JSON.parse(a.payload).after.kind)).toEqual(['voting', 'chair']);
  });

  it('a member taken off the committee leaves the room, told why, and cannot join again', async () => {
    const steg = await member('steg@ain-draham.tn');
    const stegId = await userId('steg@ain-draham.tn');
    const told = revoked(steg.socket);
    expect((await secretary.request('DELETE', `/api/municipalities/1/committee/seats/${stegId}`)).status).toBe(204);
    expect(await told).toEqual({ reason: 'seat_removed' });
    expect(room().participants.has(stegId)).toBe(false);
    expect(await request(steg.socket, 'raiseHand', {})).toMatchObject(refused('conflict'));
    expect(await request(steg.socket, 'join', { sessionId, mode: 'audio' })).toMatchObject(refused('forbidden'));
    expect(await AuditEntryRow.count({ where: { action: 'committee.seat_removed' } })).toBe(1);
    // Given a seat again, they may come back.
    expect((await secretary.put(`/api/municipalities/1/committee/seats/${stegId}`, { kind: 'voting' })).status).toBe(200);
    expect(await request(steg.socket, 'join', { sessionId, mode: 'audio' })).toMatchObject({ ok: true });
  });

  it('refuses seat changes from the wrong people or of the wrong shape with a stable code, and changes nothing', async () => {
    const seats = async () => JSON.stringify(await CommitteeSeat.findAll({ order: [['id', 'ASC']] }));
    const before = { seats: await seats(), audit: await AuditEntryRow.count() };
    const chairId = await userId(CHAIR);
    const architectId = await userId(VOTERS[0]!);
    const amina = await ApiClient.loggedIn(t.url, 'amina@example.tn');
    const chairApi = await ApiClient.loggedIn(t.url, CHAIR);
    const tabarka = await ApiClient.loggedIn(t.url, 'secretary@tabarka.tn');
    const put = (client: ApiClient, body: unknown, user = architectId, municipality = 1) => client.put(`/api/municipalities/${municipality}/committee/seats/${user}`, body);
    expect((await put(amina, { kind: 'chair' })).body.error.code).toBe('forbidden');
    expect((await put(chairApi, { kind: 'chair' })).body.error.code).toBe('forbidden');
    expect((await put(tabarka, { kind: 'chair' })).body.error.code).toBe('forbidden');
    expect((await new ApiClient(t.url).put(`/api/municipalities/1/committee/seats/${architectId}`, { kind: 'voting' })).status).toBeGreaterThanOrEqual(400);
    for (const body of [{}, { kind: 'president' }, { kind: 'voting', vetoHolder: 'yes' }, { kind: 'voting', extra: 1 }, { kind: 'voting', titleFr: 'x'.repeat(201) }]) {
      expect((await put(secretary, body)).body.error.code, JSON.stringify(body)).toBe('invalid_payload');
    }
    // A second chair; an applicant (no role in the municipality); an unknown municipality or seat.
    expect((await put(secretary, { kind: 'chair' })).body.error).toMatchObject({ code: 'conflict' });
    expect((await put(secretary, { kind: 'voting' }, await userId('amina@example.tn'))).body.error).toMatchObject({ code: 'conflict' });
    expect((await put(secretary, { kind: 'voting' }, architectId, 999)).body.error.code).toBe('not_found');
    expect((await secretary.request('DELETE', `/api/municipalities/1/committee/seats/${await userId('amina@example.tn')}`)).body.error.code).toBe('not_found');
    expect((await put(secretary, { kind: 'voting' }, chairId, 2)).body.error.code).toBe('forbidden');
    expect({ seats: await seats(), audit: await AuditEntryRow.count() }).toEqual(before);
  });
});

describe('a dossier withdrawn while its session is live', () => {
  it('shows it withdrawn at once, closes its item, and refuses to open it again', async () => {
    const chair = await member(CHAIR);
    const itemId = chair.snapshot.features.presentation.agenda.find((i) => i.dossierId === withdrawn.dossierId)!.id;
    await meetingData(chair.socket, 'openItem', { agendaItemId: itemId });
    const agenda = nextEvent(chair.socket, 'agenda');
    const presentation = nextEvent(chair.socket, 'presentation');
    const amina = await ApiClient.loggedIn(t.url, 'amina@example.tn');
    const res = await amina.post(`/api/dossiers/${withdrawn.dossierId}/withdraw`, { note: 'je renonce' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((await agenda).find((i) => i.id === itemId)?.dossierStatus).toBe('withdrawn');
    expect(await presentation).toMatchObject({ currentItemId: null });
    expect(await request(chair.socket, 'openItem', { agendaItemId: itemId })).toMatchObject(refused('invalid_transition'));
  });
});
