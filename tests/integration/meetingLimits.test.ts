import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttendanceInterval, User } from '../../db/models';
import type { TransportInfo } from '../../protocol/meeting';
import { mediaOf } from '../../server/meeting/features/media';
import { MAX_CONNECTIONS_PER_MEMBER } from '../../server/meeting/MeetingRoom';
import { EVENT_RATES } from '../../server/meeting/rateLimits';
import { MAX_INCOMING_BITRATE } from '../../sfu/Peer';
import { createRemoteSession } from '../support/meeting';
import { joinMeeting, meetingData, meetingRequest as request, meetingSocket, openSession, type MeetingClient } from '../support/meetingSocket';
import { startTestServer, type TestServer } from '../support/server';

/**
 * Per-client limits of the meeting: a token bucket per socket and event, a cap on a member's
 * connections in a session, and per connection two transports, one audio and one video
 * producer, with a ceiling on what it may send in.
 */
let t: TestServer;
let sessionId: number;
const sockets: MeetingClient[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const refused = (code: string) => ({ ok: false, error: { code } });

async function socketOf(email: string): Promise<MeetingClient> {
  const socket = await meetingSocket(t.url, email);
  sockets.push(socket);
  return socket;
}

async function joined(email: string, mode: 'video' | 'audio' = 'audio'): Promise<MeetingClient> {
  const socket = await socketOf(email);
  await joinMeeting(socket, sessionId, mode);
  return socket;
}

/** RTP parameters mediasoup accepts for a producer (it needs no connected transport to create one). */
const rtp = (kind: 'audio' | 'video', ssrc: number) => ({
  codecs: [kind === 'audio'
    ? { mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2, parameters: {}, rtcpFeedback: [] }
    : { mimeType: 'video/VP8', payloadType: 101, clockRate: 90000, parameters: {}, rtcpFeedback: [] }],
  encodings: [{ ssrc }],
  headerExtensions: [],
  rtcp: { cname: `c${ssrc}` },
});

beforeAll(async () => {
  t = await startTestServer();
  sessionId = await createRemoteSession();
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await t?.close();
});

describe('media per connection', () => {
  it('refuses a third transport, a second microphone and a second camera with media_limit; caps what a transport takes in', async () => {
    const socket = await joined('architect@ain-draham.tn', 'video');
    const send = await meetingData<TransportInfo>(socket, 'createTransport', { direction: 'send' });
    const recv = await meetingData<TransportInfo>(socket, 'createTransport', { direction: 'recv' });
    expect(await request(socket, 'createTransport', { direction: 'send' })).toMatchObject({ ok: false, error: { code: 'media_limit', details: { limit: 'transports', max: 2 } } });
    // Several at once cannot pass the check together.
    const burst = await Promise.all([1, 2, 3].map(() => request(socket, 'createTransport', { direction: 'recv' })));
    expect(burst.every((r) => !r.ok && r.error.code === 'media_limit')).toBe(true);

    const media = await mediaOf(t.server.meeting.rooms.get(sessionId)!).current!;
    const peer = [...media.peers.values()][0]!;
    expect(peer.transports.size).toBe(2);
    for (const transport of peer.transports.values()) expect((await transport.getStats())[0]!.maxIncomingBitrate).toBe(MAX_INCOMING_BITRATE);

    expect(await request(socket, 'produce', { transportId: send.id, kind: 'audio', rtpParameters: rtp('audio', 1111), source: 'mic' })).toMatchObject({ ok: true });
    expect(await request(socket, 'produce', { transportId: send.id, kind: 'audio', rtpParameters: rtp('audio', 2222), source: 'mic' }))
      .toMatchObject({ ok: false, error: { code: 'media_limit', details: { limit: 'audio', max: 1 } } });
    const camera = await meetingData<{ id: string }>(socket, 'produce', { transportId: send.id, kind: 'video', rtpParameters: rtp('video', 3333), source: 'camera' });
    expect(await request(socket, 'produce', { transportId: send.id, kind: 'video', rtpParameters: rtp('video', 4444), source: 'camera' }))
      .toMatchObject({ ok: false, error: { code: 'media_limit', details: { limit: 'video', max: 1 } } });
    // Closing the camera makes room for another (the camera turned off and on again).
    await meetingData(socket, 'closeProducer', { producerId: camera.id });
    expect(await request(socket, 'produce', { transportId: send.id, kind: 'video', rtpParameters: rtp('video', 5555), source: 'camera' })).toMatchObject({ ok: true });

    // A rebuild closes the old transports first; then new ones may be made. Unknown ids: not_found.
    await meetingData(socket, 'closeTransport', { transportId: recv.id });
    expect(await request(socket, 'closeTransport', { transportId: recv.id })).toMatchObject(refused('not_found'));
    expect(await request(socket, 'createTransport', { direction: 'recv' })).toMatchObject({ ok: true });
    expect(peer.transports.size).toBe(2);
    await meetingData(socket, 'leave', {});
  });
});

describe('connections per member', () => {
  it(`lets a member hold ${MAX_CONNECTIONS_PER_MEMBER} connections in a session, refuses the next with too_many_connections, and counts a left one out`, async () => {
    const open = [];
    for (let i = 0; i < MAX_CONNECTIONS_PER_MEMBER; i++) open.push(await joined('engineer@ain-draham.tn'));
    const extra = await socketOf('engineer@ain-draham.tn');
    expect(await request(extra, 'join', { sessionId, mode: 'audio' })).toMatchObject({ ok: false, error: { code: 'too_many_connections', details: { max: MAX_CONNECTIONS_PER_MEMBER } } });
    const engineerId = (await User.findOne({ where: { email: 'engineer@ain-draham.tn' } }))!.id;
    expect(t.server.meeting.rooms.get(sessionId)!.participants.get(engineerId)!.connections.size).toBe(MAX_CONNECTIONS_PER_MEMBER);
    // The same connection joining again is not one more.
    expect(await request(open[0]!, 'join', { sessionId, mode: 'audio' })).toMatchObject({ ok: true });
    await meetingData(open[0]!, 'leave', {});
    expect(await request(extra, 'join', { sessionId, mode: 'audio' })).toMatchObject({ ok: true });
    for (const s of [...open.slice(1), extra]) await meetingData(s, 'leave', {});
  });
});

describe('a token bucket per socket and event', () => {
  it('answers a burst past the bucket with 429 rate_limited and the wait, per event, and lets the member go on once it refills', async () => {
    const socket = await joined('urbanism@ain-draham.tn');
    const rule = EVENT_RATES.raiseHand!;
    const answers = await Promise.all(Array.from({ length: 50 }, () => request(socket, 'raiseHand', {})));
    expect(answers.filter((a) => a.ok)).toHaveLength(rule.capacity);
    const limited = answers.find((a) => !a.ok);
    expect(limited).toMatchObject({ ok: false, error: { code: 'rate_limited', details: { event: 'raiseHand', retryAfterMs: expect.any(Number) } } });
    // Another event has its own bucket; malformed and unknown events cost tokens too, in buckets of their own.
    expect(await request(socket, 'lowerHand', {})).toEqual({ ok: true, data: null });
    const junk = await Promise.all(Array.from({ length: 200 }, (_, i) => request(socket, `made-up-${i}`, {})));
    expect(junk.filter((a) => !a.ok && a.error.code === 'rate_limited').length).toBeGreaterThan(0);
    expect(junk.filter((a) => !a.ok && a.error.code === 'invalid_payload').length).toBeGreaterThan(0);
    await sleep(1000 / rule.perSecond + 100);
    expect(await request(socket, 'raiseHand', {})).toEqual({ ok: true, data: null });
    await meetingData(socket, 'leave', {});
  });

  it('a setMode storm (2,000 in 10 s) leaves a bounded number of attendance stretches, and health answers throughout', async () => {
    const chair = await joined('chair@ain-draham.tn');
    await openSession(chair);
    const steg = await joined('steg@ain-draham.tn', 'video');
    const stegId = (await User.findOne({ where: { email: 'steg@ain-draham.tn' } }))!.id;
    const health: number[] = [];
    let accepted = 0;
    for (let second = 0; second < 10; second++) {
      const started = Date.now();
      const [answers, status] = await Promise.all([
        Promise.all(Array.from({ length: 200 }, (_, i) => request(steg, 'setMode', { mode: (second * 200 + i) % 2 ? 'video' : 'audio' }))),
        fetch(`${t.url}/api/health`).then((r) => r.status),
      ]);
      health.push(status);
      accepted += answers.filter((a) => a.ok).length;
      expect(answers.every((a) => a.ok || a.error.code === 'rate_limited')).toBe(true);
      await sleep(Math.max(0, 1000 - (Date.now() - started)));
    }
    expect(health.every((s) => s === 200)).toBe(true);
    const rule = EVENT_RATES.setMode!;
    // The bucket's capacity, plus what refilled over the storm (however long the loaded machine took).
    expect(accepted).toBeLessThanOrEqual(rule.capacity + 3);
    await meetingData(steg, 'leave', {});
    const stretches = await AttendanceInterval.count({ where: { sessionId, userId: stegId } });
    expect(stretches).toBeGreaterThanOrEqual(1);
    expect(stretches).toBeLessThanOrEqual(accepted + 1);
    console.log(`setMode storm: ${accepted} of 2000 accepted, ${stretches} attendance stretches`);
  }, 60_000);
});
