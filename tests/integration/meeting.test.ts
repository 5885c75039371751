import { Device, MediaStreamTrack, RTCRtpCodecParameters, RtpHeader, RtpPacket } from 'msc-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttendanceInterval, AuditEntryRow, CommitteeSession, User } from '../../db/models';
import { meetingSchemas, type MeetingSession, type MeetingSnapshot } from '../../protocol/meeting';
import { mediaOf } from '../../server/meeting/features/media';
import { handsOf } from '../../server/meeting/features/presence';
import { auditEntries } from '../../server/services/audit';
import { sessionAttendance } from '../../server/services/attendance';
import { createRemoteSession } from '../support/meeting';
import { meetingRequest as request, meetingSocket, nextEvent, type MeetingClient } from '../support/meetingSocket';
import { startTestServer, type TestServer } from '../support/server';

type Client = MeetingClient;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let t: TestServer;
let sessionId: number;
const sockets: Client[] = [];

async function socketFor(email?: string): Promise<Client> {
  const socket = await meetingSocket(t.url, email);
  sockets.push(socket);
  return socket;
}

async function joined(email: string, mode: 'video' | 'audio' = 'video'): Promise<{ socket: Client; snapshot: MeetingSnapshot }> {
  const socket = await socketFor(email);
  const res = await request<MeetingSnapshot>(socket, 'join', { sessionId, mode });
  if (!res.ok) throw new Error(`join ${email}: ${JSON.stringify(res.error)}`);
  return { socket, snapshot: res.data };
}

const userId = async (email: string) => (await User.findOne({ where: { email } }))!.id;
const room = () => t.server.meeting.rooms.get(sessionId);
const until = async (what: () => boolean | Promise<boolean>, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error('condition not reached');
    await sleep(50);
  }
};

// A socket.io client in the test process defines `navigator`, so msc-node's detection must be bypassed.
const opusDevice = () =>
  new Device({ codecs: { audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2 })], video: [] } }, { handlerName: 'werift' });

/** A Node WebRTC client (msc-node) that sends synthetic opus through a send transport. */
async function sendAudio(socket: Client, routerRtpCapabilities: unknown) {
  const device = opusDevice();
  await device.load({ routerRtpCapabilities: routerRtpCapabilities as never });
  const info = await request<any>(socket, 'createTransport', { direction: 'send' });
  if (!info.ok) throw new Error(JSON.stringify(info.error));
  const transport = device.createSendTransport({
    ...info.data,
    iceServers: [],
    additionalSettings: { iceInterfaceAddresses: { udp4: '127.0.0.1' }, iceUseIpv6: false },
  });
  transport.on('connect', ({ dtlsParameters }, ok, fail) =>
    void request(socket, 'connectTransport', { transportId: transport.id, dtlsParameters }).then((r) => (r.ok ? ok() : fail(new Error(r.error.message)))),
  );
  transport.on('produce', ({ kind, rtpParameters }, ok, fail) =>
    void request<{ id: string }>(socket, 'produce', { transportId: transport.id, kind, rtpParameters, source: 'mic' }).then((r) =>
      r.ok ? ok({ id: r.data.id }) : fail(new Error(r.error.message)),
    ),
  );
  const track = new MediaStreamTrack({ kind: 'audio' });
  const producer = await transport.produce({ track });
  let seq = 0;
  const timer = setInterval(() => {
    seq++;
    track.writeRtp(new RtpPacket(new RtpHeader({ payloadType: 100, sequenceNumber: seq, timestamp: seq * 960, ssrc: 4242, marker: false }), Buffer.alloc(80, seq & 0xff)));
  }, 20);
  return { producerId: producer.id, close: () => (clearInterval(timer), transport.close()) };
}

beforeAll(async () => {
  t = await startTestServer();
  sessionId = await createRemoteSession();
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await t.close();
});

describe('who may join a session meeting', () => {
  it('refuses an anonymous socket with unauthenticated', async () => {
    const socket = await socketFor();
    const error = await new Promise<any>((resolve) => socket.once('connect_error', resolve));
    expect(error.data.error.code).toBe('unauthenticated');
  });

  it('refuses an applicant and a member of another committee with forbidden, and an unknown session with not_found', async () => {
    const applicant = await socketFor('amina@example.tn');
    const res = await request(applicant, 'join', { sessionId, mode: 'video' });
    expect(res).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const other = await socketFor('member@tabarka.tn');
    expect(await request(other, 'join', { sessionId, mode: 'video' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await request(other, 'join', { sessionId: 999_999, mode: 'video' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(room()).toBeUndefined();
    expect(await AttendanceInterval.count({ where: { sessionId } })).toBe(0);
  });
});

describe('the waiting room until the chair opens the session', () => {
  it('lets the committee gather without recording anything; only the chair opens it, once, and attendance starts then', async () => {
    const steg = await joined('steg@ain-draham.tn', 'audio');
    expect(steg.snapshot.session).toEqual({ status: 'planned', startsAt: expect.any(String), openedAt: null });
    const chair = await joined('chair@ain-draham.tn');
    const before = { attendance: await AttendanceInterval.count(), audit: await AuditEntryRow.count() };
    // People gather and raise hands; nothing of the session's record can be made yet.
    expect(await request(steg.socket, 'raiseHand', {})).toEqual({ ok: true, data: null });
    for (const [event, payload] of [
      ['openItem', { agendaItemId: 1 }], ['setPresenter', { userId: 1 }], ['pointer', { at: null }],
      ['present', { view: { versionId: 1, page: 1, zoom: { mode: 'fit-width' }, rotation: 0, scroll: { x: 0.5, y: 0 } } }],
      ['recuse', { agendaItemId: 1, reason: 'parent' }], ['openVote', { agendaItemId: 1, question: 'Avis ?' }],
      ['castBallot', { voteId: 1, choice: 'favourable' }], ['closeVote', { voteId: 1 }], ['endSession', {}],
    ] as const) {
      expect(await request(chair.socket, event, payload), event).toMatchObject({ ok: false, error: { code: 'invalid_transition' } });
    }
    expect(await request(steg.socket, 'openSession', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await CommitteeSession.findByPk(sessionId))!.status).toBe('planned');
    expect({ attendance: await AttendanceInterval.count(), audit: await AuditEntryRow.count() }).toEqual(before);

    const told = nextEvent(steg.socket, 'sessionOpened');
    const opened = await request<MeetingSession>(chair.socket, 'openSession', {});
    expect(opened).toMatchObject({ ok: true, data: { status: 'live', openedAt: expect.any(String) } });
    expect(await told).toEqual(opened.ok && opened.data);
    const session = (await CommitteeSession.findByPk(sessionId))!;
    expect(session.status).toBe('live');
    expect(session.openedAt!.toISOString()).toBe(opened.ok && opened.data.openedAt);
    // Everyone in the waiting room attends from the opening, in the mode they are in.
    const attendance = await sessionAttendance(sessionId);
    expect(attendance.map((a) => [a.userId, a.intervals.map((i) => i.mode)]).sort()).toEqual([[await userId('chair@ain-draham.tn'), ['video']], [await userId('steg@ain-draham.tn'), ['audio']]].sort());
    expect(attendance.every((a) => a.intervals[0]!.joinedAt >= session.openedAt!)).toBe(true);
    expect((await auditEntries()).at(-1)).toMatchObject({ action: 'session.opened', subject: `session:${sessionId}`, actorId: await userId('chair@ain-draham.tn') });
    expect(await request(chair.socket, 'openSession', {})).toMatchObject({ ok: false, error: { code: 'invalid_transition' } });
    // A late joiner finds the session live.
    const late = await joined('protection@ain-draham.tn', 'audio');
    expect(late.snapshot.session).toMatchObject({ status: 'live', openedAt: session.openedAt!.toISOString() });
    for (const s of [steg, chair, late]) await request(s.socket, 'leave', {});
  });
});

describe('presence, hands and attendance', () => {
  it('keeps participants, counts a member with two sockets once, records and continues attendance intervals', async () => {
    const chair = await joined('chair@ain-draham.tn');
    expect(chair.snapshot.self.seat).toBe('chair');
    expect(chair.snapshot.features.media.routerRtpCapabilities).toBeTruthy();
    const architect = await joined('architect@ain-draham.tn', 'audio');
    const secondTab = await joined('architect@ain-draham.tn', 'audio');
    const [architectId, chairId] = [await userId('architect@ain-draham.tn'), await userId('chair@ain-draham.tn')];
    expect(room()!.presentUserIds.sort()).toEqual([chairId, architectId].sort());
    expect(secondTab.snapshot.participants.filter((p) => p.userId === architectId)).toHaveLength(1);
    expect(secondTab.snapshot.participants.find((p) => p.userId === architectId)).toMatchObject({ seat: 'voting', mode: 'audio', status: 'present' });

    // Closing one of two tabs changes nothing; closing the second is a drop: the member is kept as reconnecting.
    secondTab.socket.disconnect();
    await sleep(200);
    expect(room()!.participants.get(architectId)!.status).toBe('present');
    architect.socket.disconnect();
    await until(() => room()!.participants.get(architectId)?.status === 'reconnecting');
    await until(async () => (await AttendanceInterval.findOne({ where: { sessionId, userId: architectId } }))!.leftAt !== null);

    // Back within 60 s: the same interval continues.
    const back = await joined('architect@ain-draham.tn', 'audio');
    expect(back.snapshot.participants.filter((p) => p.userId === architectId)).toHaveLength(1);
    const rows = await AttendanceInterval.findAll({ where: { sessionId, userId: architectId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.leftAt).toBeNull();

    // Switching to video starts a new interval in the new mode; an explicit leave closes it and removes the member.
    expect(await request(back.socket, 'setMode', { mode: 'video' })).toEqual({ ok: true, data: null });
    expect(await request(back.socket, 'leave', {})).toEqual({ ok: true, data: null });
    expect(room()!.participants.has(architectId)).toBe(false);
    const attendance = await sessionAttendance(sessionId);
    const mine = attendance.find((a) => a.userId === architectId)!;
    expect(mine.present).toBe(false);
    expect(mine.intervals.map((i) => i.mode)).toEqual(['audio', 'video']);
    expect(mine.intervals.every((i) => i.leftAt !== null)).toBe(true);
    expect(attendance.find((a) => a.userId === chairId)!.present).toBe(true);

    await request(chair.socket, 'leave', {});
    expect(room()).toBeUndefined();
  });

  it('keeps an ordered hand queue that only the chair clears', async () => {
    const chair = await joined('chair@ain-draham.tn');
    const engineer = await joined('engineer@ain-draham.tn', 'audio');
    const steg = await joined('steg@ain-draham.tn', 'audio');
    const [engineerId, stegId] = [await userId('engineer@ain-draham.tn'), await userId('steg@ain-draham.tn')];
    const seen = new Promise<number[]>((resolve) => chair.socket.on('hands', (q) => q.length === 2 && resolve(q)));
    await request(steg.socket, 'raiseHand', {});
    await request(engineer.socket, 'raiseHand', {});
    await request(steg.socket, 'raiseHand', {});
    expect(await seen).toEqual([stegId, engineerId]);
    expect(await request(engineer.socket, 'clearHands', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await request(engineer.socket, 'muteParticipant', { userId: stegId })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await request(chair.socket, 'clearHands', { userId: stegId })).toEqual({ ok: true, data: null });
    expect(handsOf(room()!).queue).toEqual([engineerId]);
    expect(await request(chair.socket, 'clearHands', {})).toEqual({ ok: true, data: null });
    expect(handsOf(room()!).queue).toEqual([]);
    for (const s of [chair, engineer, steg]) await request(s.socket, 'leave', {});
  });

  it('answers a malformed payload for every event with invalid_payload and changes nothing', async () => {
    const chair = await joined('chair@ain-draham.tn');
    await request(chair.socket, 'raiseHand', {});
    const before = JSON.stringify({ p: room()!.participantList(), h: handsOf(room()!).queue });
    const rows = await AttendanceInterval.count();
    for (const event of Object.keys(meetingSchemas)) {
      for (const bad of [undefined, 'x', { bogus: 1 }, { sessionId: -1, mode: 'video', transportId: 7, userId: 'me' }]) {
        const res = await request(chair.socket, event, bad);
        expect(res, `${event} ${JSON.stringify(bad)}`).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
      }
    }
    expect(JSON.stringify({ p: room()!.participantList(), h: handsOf(room()!).queue })).toBe(before);
    expect(await AttendanceInterval.count()).toBe(rows);
    await request(chair.socket, 'leave', {});
  });
});

describe('media through the worker', () => {
  it('answers unknown media ids with not_found and refused media parameters with invalid_payload, naming no internals', async () => {
    const chair = await joined('chair@ain-draham.tn');
    const unknown = 'f'.repeat(36);
    for (const [event, payload] of [
      ['connectTransport', { transportId: unknown, dtlsParameters: {} }],
      ['restartIce', { transportId: unknown }],
      ['produce', { transportId: unknown, kind: 'audio', rtpParameters: {}, source: 'mic' }],
      ['consume', { transportId: unknown, producerId: unknown, rtpCapabilities: {} }],
      ['closeProducer', { producerId: unknown }],
      ['resumeConsumer', { consumerId: unknown }],
      ['setConsumerLayers', { consumerId: unknown, tileHeight: 200 }],
    ] as const) {
      expect(await request(chair.socket, event, payload), event).toMatchObject({ ok: false, error: { code: 'not_found' } });
    }
    const send = await request<{ id: string }>(chair.socket, 'createTransport', { direction: 'send' });
    if (!send.ok) throw new Error(JSON.stringify(send.error));
    for (const [event, payload] of [
      ['connectTransport', { transportId: send.data.id, dtlsParameters: { fingerprints: 'none' } }],
      ['produce', { transportId: send.data.id, kind: 'audio', rtpParameters: { codecs: 42 }, source: 'mic' }],
    ] as const) {
      const res = await request(chair.socket, event, payload);
      expect(res, event).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
      expect(JSON.stringify(res)).not.toMatch(/TypeError|at .*\.js|mediasoup|worker/i);
    }
    await request(chair.socket, 'leave', {});
  });

  it('forwards a member\'s audio, survives the worker\'s death with membership and hands, and leaves nothing behind', async () => {
    const chair = await joined('chair@ain-draham.tn');
    const architect = await joined('architect@ain-draham.tn');
    const architectId = await userId('architect@ain-draham.tn');
    await request(chair.socket, 'raiseHand', {});
    const announced = new Promise<any>((resolve) => chair.socket.once('newProducer', resolve));
    const sender = await sendAudio(architect.socket, architect.snapshot.features.media.routerRtpCapabilities);
    expect(await announced).toMatchObject({ producerId: sender.producerId, userId: architectId, kind: 'audio', source: 'mic' });

    // The chair receives it.
    const recv = await request<any>(chair.socket, 'createTransport', { direction: 'recv' });
    expect(recv.ok).toBe(true);
    const device = opusDevice();
    await device.load({ routerRtpCapabilities: chair.snapshot.features.media.routerRtpCapabilities as never });
    const consumer = await request<any>(chair.socket, 'consume', { transportId: recv.ok && recv.data.id, producerId: sender.producerId, rtpCapabilities: device.rtpCapabilities });
    expect(consumer).toMatchObject({ ok: true, data: { producerId: sender.producerId, kind: 'audio' } });
    expect(await request(chair.socket, 'resumeConsumer', { consumerId: consumer.ok && consumer.data.id })).toEqual({ ok: true, data: null });
    const sent = (await mediaOf(room()!).current)!.findProducer(sender.producerId)!.producer;
    await until(async () => ((await sent.getStats())[0]?.byteCount ?? 0) > 0);

    // The chair mutes the architect on the server: the producer pauses and the architect is told.
    const told = new Promise((resolve) => architect.socket.once('mutedByChair', resolve));
    expect(await request(chair.socket, 'muteParticipant', { userId: architectId })).toEqual({ ok: true, data: null });
    await told;
    expect(room()!.participants.get(architectId)!.micMuted).toBe(true);

    // Kill the worker: the room is re-created on the replacement, clients are told to set media up again.
    const oldPid = t.server.workers.entries[0]!.worker.pid;
    const restart = new Promise<any>((resolve) => architect.socket.once('mediaRestart', resolve));
    sender.close();
    process.kill(oldPid, 'SIGKILL');
    const { routerRtpCapabilities } = await restart;
    expect(t.server.workers.entries[0]!.worker.pid).not.toBe(oldPid);
    expect(room()!.presentUserIds).toHaveLength(2);
    expect(handsOf(room()!).queue).toEqual([await userId('chair@ain-draham.tn')]);
    const again = new Promise<any>((resolve) => chair.socket.once('newProducer', resolve));
    const resent = await sendAudio(architect.socket, routerRtpCapabilities);
    expect(await again).toMatchObject({ producerId: resent.producerId, userId: architectId });
    const worker = t.server.workers.entries[0]!.worker;
    expect((await worker.dump()).routerIds).toHaveLength(1);
    const { producer } = (await mediaOf(room()!).current)!.findProducer(resent.producerId)!;
    await until(async () => ((await producer.getStats())[0]?.byteCount ?? 0) > 0);

    // Everyone leaves: no router (hence no transport, producer or consumer) remains on the worker.
    resent.close();
    await request(architect.socket, 'leave', {});
    await request(chair.socket, 'leave', {});
    await until(async () => (await worker.dump()).routerIds.length === 0);
    const server = await t.server.workers.entries[0]!.webRtcServer.dump();
    expect(server.webRtcTransportIds).toEqual([]);
    expect(room()).toBeUndefined();
  });
});
