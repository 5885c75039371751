import net from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgendaItem, AttendanceInterval, OutboxMessage, SessionLease, User } from '../../db/models';
import type { MeetingSnapshot } from '../../protocol/meeting';
import type { OpenVoteView } from '../../protocol/voting';
import { agendaOfDossiers } from '../support/agenda';
import { testDialect } from '../support/database';
import { createRemoteSession } from '../support/meeting';
import { joinMeeting, meetingData, meetingRequest, meetingSocket, nextEvent, openSession, type MeetingClient } from '../support/meetingSocket';
import { NodeProcess } from '../support/nodeProcess';
import { startTestServer, type TestServer } from '../support/server';

// Several app nodes need a database they share: PostgreSQL only (CI's second pass).
const LEASE_MS = 2000;
const CHAIR = 'chair@ain-draham.tn';
const VOTERS = ['architect@ain-draham.tn', 'engineer@ain-draham.tn', 'urbanism@ain-draham.tn'];

let a: TestServer;
let b: TestServer;
let smtp: SMTPServer;
const delivered: string[] = [];
const sockets: MeetingClient[] = [];

async function socketOn(url: string, email: string): Promise<MeetingClient> {
  const s = await meetingSocket(url, email);
  sockets.push(s);
  return s;
}

describe.skipIf(testDialect !== 'postgres')('two app nodes on one PostgreSQL database', () => {
  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
      onData(stream, session, callback) {
        stream.resume();
        stream.on('end', () => (delivered.push(...session.envelope.rcptTo.map((r) => r.address)), callback()));
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
    const smtpPort = (smtp.server.address() as net.AddressInfo).port;
    const node = (id: string) => (c: Parameters<Parameters<typeof startTestServer>[0] & object>[0]) => {
      c.cluster = { nodeId: id, leaseMs: LEASE_MS, shared: true };
      c.smtp = { ...c.smtp, host: '127.0.0.1', port: smtpPort, secure: false };
    };
    a = await startTestServer(node('node-a'));
    b = await startTestServer(node('node-b'), { store: a.store });
    // Both nodes hear each other on the adapter (their first heartbeats went through PostgreSQL).
    for (const n of [a, b]) {
      const deadline = Date.now() + 30_000;
      while ((await n.server.io.of('/').adapter.serverCount()) < 2) {
        if (Date.now() > deadline) throw new Error(`${n.server.config.cluster.nodeId} does not hear the other node`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }, 180_000);

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await b?.close({ keep: true });
    await a?.close();
    await new Promise<void>((r) => smtp?.close(() => r()));
  });

  it('a session is held by the node its first member joined on; a socket on the other node is told to go there and served there', async () => {
    const sessionId = await createRemoteSession();
    const chair = await socketOn(a.url, CHAIR);
    await joinMeeting(chair, sessionId);
    expect((await SessionLease.findByPk(sessionId))?.nodeId).toBe('node-a');

    const onB = await socketOn(b.url, VOTERS[0]!);
    expect(await meetingRequest(onB, 'join', { sessionId, mode: 'audio' })).toMatchObject({ ok: false, error: { code: 'wrong_node', details: { node: 'node-a' } } });
    expect(b.server.meeting.rooms.has(sessionId)).toBe(false);

    const onA = await socketOn(a.url, VOTERS[0]!);
    const snapshot = await joinMeeting(onA, sessionId);
    expect(snapshot.participants).toHaveLength(2);

    // The last one out hands the session back: the next join on B takes it.
    for (const s of [chair, onA]) await meetingData(s, 'leave', {});
    await expect.poll(() => SessionLease.findByPk(sessionId)).toBeNull();
    await joinMeeting(onB, sessionId);
    expect((await SessionLease.findByPk(sessionId))?.nodeId).toBe('node-b');
    await meetingData(onB, 'leave', {});
  });

  it('a change made on one node (the session ended there) reaches the meeting held on the other', async () => {
    const sessionId = await createRemoteSession();
    const chair = await socketOn(a.url, CHAIR);
    await joinMeeting(chair, sessionId);
    await openSession(chair);
    const ended = nextEvent(chair, 'sessionEnded');
    const chairId = (await User.findOne({ where: { email: CHAIR } }))!.id;
    await b.server.sessions.end(sessionId, chairId);
    expect(await ended).toEqual({ sessionId });
    await expect.poll(() => a.server.meeting.rooms.has(sessionId)).toBe(false);
  });

  it('the outbox sends each message once with both nodes sending', async () => {
    const to = Array.from({ length: 30 }, (_, i) => `cluster-${i}@example.tn`);
    const sentBy: number[] = [];
    for (const n of [a, b]) n.server.outbox.on('sent', (m) => sentBy.push(m.id));
    await OutboxMessage.bulkCreate(to.map((toAddress) => ({ kind: 'test', toAddress, subject: 'test', text: 'body', nextAttemptAt: new Date(0) })));
    await expect.poll(() => OutboxMessage.count({ where: { toAddress: to, sentAt: null } }), { timeout: 60_000 }).toBe(0);
    expect(delivered.filter((d) => to.includes(d)).sort()).toEqual([...to].sort());
    // Sent once across both nodes: no message id reported by the two nodes' workers twice.
    expect(new Set(sentBy).size).toBe(sentBy.length);
  });

  it('a node killed (kill -9) mid-meeting: its lease runs out, the other node takes the session and rebuilds it from the database with the open vote and its ballots, and nobody attends twice', async () => {
    const sessionId = await createRemoteSession();
    await agendaOfDossiers(a.url, sessionId, [{}]);
    const [item] = await AgendaItem.findAll({ where: { sessionId } });
    const c = await NodeProcess.create({ nodeId: 'node-c', databaseUrl: a.store.databaseUrl!, dataDir: a.dataDir, env: { LEASE_SECONDS: String(LEASE_MS / 1000) } });
    try {
      const members = [CHAIR, ...VOTERS];
      const onC = await Promise.all(members.map((m) => socketOn(c.url, m)));
      for (const s of onC) await joinMeeting(s, sessionId);
      await openSession(onC[0]!);
      const vote = await meetingData<OpenVoteView>(onC[0]!, 'openVote', { agendaItemId: item!.id, question: 'Avis ?' });
      await meetingData(onC[1]!, 'castBallot', { voteId: vote.id, choice: 'favourable' });
      expect((await SessionLease.findByPk(sessionId))?.nodeId).toBe('node-c');

      await c.kill();
      // Each member's socket comes back on node A: refused while C's lease runs, then A takes the session.
      const snapshots: MeetingSnapshot[] = [];
      for (const email of members) {
        const s = await socketOn(a.url, email);
        let res = await meetingRequest<MeetingSnapshot>(s, 'join', { sessionId, mode: 'audio' });
        const deadline = Date.now() + 30_000;
        while (!res.ok && res.error.code === 'wrong_node' && Date.now() < deadline) {
          expect(res.error.details).toEqual({ node: 'node-c' });
          await new Promise((r) => setTimeout(r, 200));
          res = await meetingRequest<MeetingSnapshot>(s, 'join', { sessionId, mode: 'audio' });
        }
        expect(res).toMatchObject({ ok: true });
        if (res.ok) snapshots.push(res.data);
      }
      expect((await SessionLease.findByPk(sessionId))?.nodeId).toBe('node-a');
      const last = snapshots.at(-1)!;
      expect(last.session.status).toBe('live');
      expect(last.participants).toHaveLength(members.length);
      const voterId = (await User.findOne({ where: { email: VOTERS[0] } }))!.id;
      expect(last.features.voting.open).toMatchObject([{ id: vote.id, voted: [voterId] }]);
      expect(snapshots[1]!.features.voting.myBallots).toEqual({ [vote.id]: 'favourable' });
      // One stretch each, continued across the takeover (the drop was shorter than the grace period).
      const intervals = await AttendanceInterval.findAll({ where: { sessionId } });
      expect(intervals).toHaveLength(members.length);
      expect(intervals.every((i) => i.leftAt === null)).toBe(true);
    } finally {
      await c.kill();
    }
  }, 180_000);
});
