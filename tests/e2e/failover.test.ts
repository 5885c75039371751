import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttendanceInterval, Ballot, SessionLease, Vote } from '../../db/models';
import { createTestStore, testDialect, type TestStore } from '../support/database';
import { doubleAttendance, FailoverRig } from '../support/failoverRig';
import { joinMeeting } from '../support/meetingSocket';

// Several app nodes need PostgreSQL: run by CI's PostgreSQL pass (scripts/test-postgres.sh).
const MEMBERS = ['chair@ain-draham.tn', 'architect@ain-draham.tn', 'engineer@ain-draham.tn'];

describe.skipIf(testDialect !== 'postgres')('HAProxy in front of two app nodes, the session\'s node killed', () => {
  let store: TestStore;
  let rig: FailoverRig | undefined;

  beforeAll(async () => {
    store = await createTestStore('lajna-failover-');
    rig = await FailoverRig.create({ databaseUrl: store.databaseUrl!, dataDir: store.dataDir, leaseSeconds: 2, members: MEMBERS });
  }, 240_000);
  afterAll(async () => {
    await rig?.close();
    await store?.remove();
  });

  it('three members in Chromium: kill -9 the node holding the session; the other takes it and every member hears the others again, with the open vote and its ballots, attending once', async () => {
    const r = rig!;
    await r.everyoneHears(60_000);
    const vote = await r.openVote(MEMBERS.slice(1));
    const victim = await r.holder();
    await victim.kill();
    await r.everyoneHears(90_000);
    const holder = await SessionLease.findByPk(r.sessionId);
    expect(holder?.nodeId).not.toBe(victim.nodeId);
    for (const m of r.members) expect(await m.page.getAttribute('[data-testid=room]', 'data-phase')).toBe('joined');
    expect(await Ballot.count({ where: { voteId: vote.id } })).toBe(2);
    expect((await Vote.findByPk(vote.id))?.status).toBe('open');
    const open = await r.direct(MEMBERS[0]!, async (s) => (await joinMeeting(s, r.sessionId)).features.voting.open);
    expect(open).toMatchObject([{ id: vote.id }]);
    expect(open[0]!.voted).toHaveLength(2);
    const intervals = await AttendanceInterval.findAll({ where: { sessionId: r.sessionId } });
    expect(doubleAttendance(intervals)).toBe(0);
  }, 240_000);
});
