import { afterAll, describe, expect, it } from 'vitest';
import { User } from '../../db/models';
import type { TransportInfo } from '../../protocol/meeting';
import { turnCredentialValid } from '../../server/services/turnCredentials';
import { createRemoteSession } from '../support/meeting';
import { joinMeeting, meetingData, meetingSocket, type MeetingClient } from '../support/meetingSocket';
import { startTestServer, type TestServer } from '../support/server';

const SECRET = 'a-shared-secret-for-coturn';
const sockets: MeetingClient[] = [];
const servers: TestServer[] = [];

async function transportAt(t: TestServer, email: string): Promise<TransportInfo> {
  const socket = await meetingSocket(t.url, email);
  sockets.push(socket);
  await joinMeeting(socket, await createRemoteSession(), 'audio');
  return meetingData<TransportInfo>(socket, 'createTransport', { direction: 'recv' });
}

// One server at a time: the models are bound to the database of the server started last, so two
// servers alive in one process would write a session to one store and join it on the other.
async function start(configure: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  await stop();
  const t = await startTestServer(configure);
  servers.push(t);
  return t;
}

async function stop(): Promise<void> {
  for (const s of sockets.splice(0)) s.disconnect();
  await Promise.all(servers.splice(0).map((t) => t.close()));
}

afterAll(stop);

describe('media paths for networks that block UDP', () => {
  it('a TCP-only SFU offers TCP candidates only (ICE-TCP, passive) and no TURN servers', async () => {
    const tcpOnly = await start((c) => void (c.mediasoup.protocols = ['tcp']));
    const info = await transportAt(tcpOnly, 'architect@ain-draham.tn');
    const candidates = info.iceCandidates as { protocol: string; tcpType?: string }[];
    expect(candidates.length).toBeGreaterThan(0);
    expect(candidates.every((c) => c.protocol === 'tcp' && c.tcpType === 'passive')).toBe(true);
    expect(info.iceServers).toBeUndefined();
    const dump = await tcpOnly.server.workers.entries[0]!.webRtcServer.dump();
    expect(dump.udpSockets).toHaveLength(0);
    expect(dump.tcpServers.length).toBeGreaterThan(0);
  });

  it('gives each transport TURN credentials of its member that expire after the TTL and hold only with the secret', async () => {
    const withTurn = await start((c) => void (c.turn = { urls: ['turns:127.0.0.1:5349?transport=tcp'], secret: SECRET, ttlSeconds: 3600, relayOnly: true }));
    const before = Math.floor(Date.now() / 1000);
    const info = await transportAt(withTurn, 'engineer@ain-draham.tn');
    const engineer = User.findOne({ where: { email: 'engineer@ain-draham.tn' } });
    expect(info.iceTransportPolicy).toBe('relay');
    const [server] = info.iceServers!;
    expect(server!.urls).toEqual(['turns:127.0.0.1:5349?transport=tcp']);
    const [expiry, user] = server!.username.split(':');
    expect(Number(user)).toBe((await engineer)!.id);
    expect(Number(expiry)).toBeGreaterThanOrEqual(before + 3600);
    expect(Number(expiry)).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 3600);
    // What coturn checks, with the secret it was started with.
    expect(turnCredentialValid(SECRET, server!.username, server!.credential)).toBe(true);
    expect(turnCredentialValid('another-secret-entirely', server!.username, server!.credential)).toBe(false);
    expect(turnCredentialValid(SECRET, `${Number(expiry) + 86_400}:${user}`, server!.credential)).toBe(false); // a later expiry written in
    expect(turnCredentialValid(SECRET, `${expiry}:1`, server!.credential)).toBe(false); // another member's name
    expect(turnCredentialValid(SECRET, server!.username, server!.credential, new Date((Number(expiry) + 1) * 1000))).toBe(false); // expired
    // A second transport gets its own, fresh credentials.
    const again = await meetingData<TransportInfo>(sockets.at(-1)!, 'createTransport', { direction: 'send' });
    expect(turnCredentialValid(SECRET, again.iceServers![0]!.username, again.iceServers![0]!.credential)).toBe(true);
  });
});
