import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttendanceInterval, User } from '../../db/models';
import { ApiClient } from '../support/http';
import { createRemoteSession } from '../support/meeting';
import { joinMeeting, meetingSocket, openedByChair } from '../support/meetingSocket';
import { startTestServer, type TestServer } from '../support/server';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
}, 60_000);
afterAll(() => t.close());

const userId = async (email: string) => (await User.findOne({ where: { email } }))!.id;

describe('attendance across a stop and a start', () => {
  it('the heartbeat stamps who is there; a stop ends their stretches as interrupted, and a member back after the restart starts a new one', async () => {
    const sessionId = await createRemoteSession();
    const chair = await ApiClient.loggedIn(t.url, 'chair@ain-draham.tn');
    const architect = await ApiClient.loggedIn(t.url, 'architect@ain-draham.tn');
    await openedByChair(t.url, sessionId, chair);
    const socket = await meetingSocket(t.url, architect);
    await joinMeeting(socket, sessionId);
    const id = await userId('architect@ain-draham.tn');
    await expect.poll(() => AttendanceInterval.count({ where: { sessionId, userId: id, leftAt: null } })).toBe(1);

    const stamp = new Date();
    expect(await t.server.heartbeat.beat(stamp)).toBe(1);
    expect((await AttendanceInterval.findOne({ where: { sessionId, userId: id } }))!.heartbeatAt).toEqual(stamp);

    await t.close({ keep: true });
    socket.disconnect();
    t = await startTestServer(() => {}, { store: t.store });
    const [stopped] = await AttendanceInterval.findAll({ where: { sessionId, userId: id } });
    expect(stopped).toMatchObject({ interrupted: true });
    expect(stopped!.leftAt).not.toBeNull();

    // Back within the grace period, but the server was down meanwhile: a new stretch, not one straight through.
    const back = await meetingSocket(t.url, architect);
    try {
      await joinMeeting(back, sessionId);
      await expect.poll(() => AttendanceInterval.count({ where: { sessionId, userId: id } })).toBe(2);
      const rows = await AttendanceInterval.findAll({ where: { sessionId, userId: id }, order: [['id', 'ASC']] });
      expect(rows.map((r) => [r.interrupted, r.leftAt === null])).toEqual([[true, false], [false, true]]);
    } finally {
      back.disconnect();
    }
  }, 120_000);

  it('a start closes the stretches a crash left open at their last heartbeat (or their join, never stamped)', async () => {
    const sessionId = await createRemoteSession();
    const [chairId, stegId] = [await userId('chair@ain-draham.tn'), await userId('steg@ain-draham.tn')];
    const joinedAt = new Date(Date.now() - 120_000);
    const heartbeatAt = new Date(Date.now() - 15_000);
    // What a process killed mid-meeting leaves behind.
    await AttendanceInterval.create({ sessionId, userId: chairId, mode: 'video', joinedAt, heartbeatAt });
    await AttendanceInterval.create({ sessionId, userId: stegId, mode: 'audio', joinedAt });
    await t.close({ keep: true });
    t = await startTestServer(() => {}, { store: t.store });
    const rows = await AttendanceInterval.findAll({ where: { sessionId }, order: [['id', 'ASC']] });
    expect(rows.map((r) => [r.userId, r.leftAt, r.interrupted])).toEqual([[chairId, heartbeatAt, true], [stegId, joinedAt, true]]);
  }, 120_000);

  it('a node sharing the store (SHARED_STORE) leaves a stretch another node stamped lately, and closes one nobody stamped for 30 s', async () => {
    const sessionId = await createRemoteSession();
    const [chairId, stegId] = [await userId('chair@ain-draham.tn'), await userId('steg@ain-draham.tn')];
    const joinedAt = new Date(Date.now() - 120_000);
    const fresh = new Date(Date.now() - 2_000);
    const stale = new Date(Date.now() - 60_000);
    await AttendanceInterval.create({ sessionId, userId: chairId, mode: 'video', joinedAt, heartbeatAt: fresh });
    await AttendanceInterval.create({ sessionId, userId: stegId, mode: 'audio', joinedAt, heartbeatAt: stale });
    await t.close({ keep: true });
    t = await startTestServer((c) => void (c.cluster.shared = true), { store: t.store });
    const rows = await AttendanceInterval.findAll({ where: { sessionId }, order: [['id', 'ASC']] });
    expect(rows.map((r) => [r.userId, r.leftAt, r.interrupted])).toEqual([[chairId, null, false], [stegId, stale, true]]);
  }, 120_000);
});
