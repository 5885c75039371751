/**
 * Failover: HAProxy (scripts/haproxy.sh) in front of two app nodes (child processes) on one
 * PostgreSQL database, three members in Chromium in a live session with a vote open and two
 * ballots cast (tests/support/failoverRig.ts). The node holding the session is killed (kill -9)
 * KILLS times; each time: kill → every member hears both others again (inbound audio bytes
 * growing from two sources on each page), then the killed node is started again for the next
 * round. Also counted: ballots lost (the vote's ballots in the database after each round,
 * against those cast), the open vote lost (not open, or its snapshot without them), and double
 * attendance (a member with two stretches of attendance open at once, or overlapping).
 * PostgreSQL: TEST_POSTGRES_URL, else the clone's own cluster (scripts/postgres.sh start).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { AttendanceInterval, Ballot, User, Vote } from '../db/models';
import { joinMeeting } from '../tests/support/meetingSocket';
import { doubleAttendance, FailoverRig } from '../tests/support/failoverRig';
import { percentile, writeResult } from './lib';

const KILLS = 5;
const LEASE_SECONDS = 3;
const MEMBERS = ['chair@ain-draham.tn', 'architect@ain-draham.tn', 'engineer@ain-draham.tn'];

function adminUrl(): string {
  if (process.env.TEST_POSTGRES_URL) return process.env.TEST_POSTGRES_URL;
  return execFileSync('bash', ['scripts/postgres.sh', 'start'], { encoding: 'utf8' }).trim();
}

export default async function failover(): Promise<void> {
  const url = new URL(adminUrl());
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  const database = `lajna_failover_${process.pid}`;
  await admin.query(`CREATE DATABASE ${database}`);
  url.pathname = `/${database}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lajna-failover-'));
  let rig: FailoverRig | undefined;
  try {
    rig = await FailoverRig.create({ databaseUrl: url.toString(), dataDir, leaseSeconds: LEASE_SECONDS, members: MEMBERS });
    await rig.everyoneHears(60_000);
    const vote = await rig.openVote(MEMBERS.slice(1));
    const cast = await Ballot.count({ where: { voteId: vote.id } });

    const recoverMs: number[] = [];
    let ballotsLost = 0;
    let voteLost = 0;
    for (let k = 0; k < KILLS; k++) {
      await new Promise((r) => setTimeout(r, 3000));
      const victim = await rig.holder();
      const t0 = Date.now();
      await victim.kill();
      await rig.everyoneHears(90_000);
      recoverMs.push(Date.now() - t0);
      const survivor = (await rig.holder()).nodeId;
      ballotsLost = Math.max(ballotsLost, cast - (await Ballot.count({ where: { voteId: vote.id } })));
      const seen = await rig.direct(MEMBERS[0]!, async (s) => (await joinMeeting(s, rig!.sessionId)).features.voting.open.find((v) => v.id === vote.id));
      if (seen?.voted.length !== cast || (await Vote.findByPk(vote.id))?.status !== 'open') voteLost++;
      console.log(`kill ${k + 1}: ${victim.nodeId} killed, ${survivor} holds the session, everyone hears everyone after ${recoverMs.at(-1)} ms`);
      await rig.start(victim.nodeId!);
    }
    const memberIds = (await User.findAll({ where: { email: MEMBERS } })).map((u) => u.id);
    const intervals = (await AttendanceInterval.findAll({ where: { sessionId: rig.sessionId } })).filter((i) => memberIds.includes(i.userId));
    writeResult('failover', {
      kills: KILLS,
      lease_seconds: LEASE_SECONDS,
      recover_ms_p50: percentile(recoverMs, 50),
      recover_ms_max: Math.max(...recoverMs),
      ballots_cast: cast,
      ballots_lost: ballotsLost,
      open_vote_lost: voteLost,
      double_attendance: doubleAttendance(intervals),
      attendance_stretches: intervals.length,
    });
  } finally {
    await rig?.close();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
