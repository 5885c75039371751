import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttendanceInterval, User } from '../../db/models';
import { transactionsOf } from '../../db/transactions';
import { ApiClient } from '../support/http';
import { createRemoteSession } from '../support/meeting';
import { joinMeeting, meetingData, meetingSocket, openedByChair, type MeetingClient } from '../support/meetingSocket';
import { startTestServer, type TestServer } from '../support/server';
import { testDialect } from '../support/database';
import { addVotingMembers } from '../support/voting';

const MEMBERS = 8;
const RUNS = 20;

let t: TestServer;
let members: { api: ApiClient; userId: number }[];
let chair: ApiClient;

beforeAll(async () => {
  t = await startTestServer();
  const emails = await addVotingMembers(MEMBERS);
  chair = await ApiClient.loggedIn(t.url, 'chair@ain-draham.tn');
  members = await Promise.all(emails.map(async (email) => ({
    api: await ApiClient.loggedIn(t.url, email),
    userId: (await User.findOne({ where: { email } }))!.id,
  })));
}, 120_000);
afterAll(() => t.close());

const connected = (socket: MeetingClient) => new Promise<void>((resolve, reject) => {
  socket.once('connect', () => resolve());
  socket.once('connect_error', reject);
});

describe('members joining a live session at the same instant (the start of every meeting)', () => {
  it(`${MEMBERS} members × ${RUNS} sessions: every join succeeds, one attendance stretch per member, no new database connection`, async () => {
    const opened = transactionsOf(t.server.sequelize).connectionsOpened;
    for (let run = 0; run < RUNS; run++) {
      const sessionId = await createRemoteSession();
      await openedByChair(t.url, sessionId, chair);
      const sockets = await Promise.all(members.map(({ api }) => meetingSocket(t.url, api)));
      try {
        await Promise.all(sockets.map(connected));
        const joins = await Promise.allSettled(sockets.map((s) => joinMeeting(s, sessionId)));
        expect(joins.filter((j) => j.status === 'rejected'), `run ${run}`).toEqual([]);
        // Attendance is written off the room, in order: wait for the eight writes, then check there are no more.
        await expect.poll(() => AttendanceInterval.count({ where: { sessionId, leftAt: null } }), { timeout: 20_000 }).toBeGreaterThanOrEqual(MEMBERS);
        const rows = await AttendanceInterval.findAll({ where: { sessionId } });
        const chairStretches = rows.filter((r) => !members.some((m) => m.userId === r.userId));
        const stretches = rows.filter((r) => members.some((m) => m.userId === r.userId));
        expect(stretches.map((r) => r.userId).sort(), `run ${run}`).toEqual(members.map((m) => m.userId).sort());
        expect(stretches.every((r) => r.leftAt === null && r.mode === 'audio')).toBe(true);
        expect(chairStretches.every((r) => r.leftAt !== null)).toBe(true);
        await Promise.all(sockets.map((s) => meetingData(s, 'leave', {})));
      } finally {
        for (const s of sockets) s.disconnect();
      }
    }
    // SQLite: every write went through the one long-lived writer connection (a transaction of its own would open one).
    if (testDialect === 'sqlite') expect(transactionsOf(t.server.sequelize).connectionsOpened).toBe(opened);
  }, 240_000);
});
