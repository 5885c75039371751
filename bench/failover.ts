/**
 * Failover: HAProxy (scripts/haproxy.sh) in front of two app nodes (child processes) on one
 * PostgreSQL database, three members in Chromium in a live session with a vote open and two
 * ballots cast. The node holding the session is killed (kill -9) KILLS times; each time:
 * kill → every member hears both others again (inbound audio bytes growing from two sources
 * on each page), then the killed node is started again for the next round. Also counted:
 * ballots lost (the vote's ballots in the database after each round, against those cast) and
 * double attendance (a member with two stretches of attendance open at once, or overlapping).
 * PostgreSQL: TEST_POSTGRES_URL, else the clone's own cluster (scripts/postgres.sh start).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { openDatabase } from '../db/connection';
import { AgendaItem, AttendanceInterval, Ballot, SessionLease, User, Vote, defineModels } from '../db/models';
import type { OpenVoteView } from '../protocol/voting';
import { agendaOfDossiers } from '../tests/support/agenda';
import { launchBrowser } from '../tests/support/browser';
import { freePort, Haproxy } from '../tests/support/haproxy';
import { clickJoin, createRemoteSession, inbound, openMeeting, type MeetingPage } from '../tests/support/meeting';
import { joinMeeting, meetingData, meetingSocket, openSession } from '../tests/support/meetingSocket';
import { NodeProcess } from '../tests/support/nodeProcess';
import { percentile, writeResult } from './lib';

const KILLS = 5;
const LEASE_SECONDS = 3;
const MEMBERS = ['chair@ain-draham.tn', 'architect@ain-draham.tn', 'engineer@ain-draham.tn'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Audio streams on the page whose bytes grew over half a second. */
async function audioFlowing(page: Page): Promise<number> {
  const before = await inbound(page);
  await sleep(500);
  const after = await inbound(page);
  return after.filter((s) => s.kind === 'audio' && s.bytes > (before.find((b) => b.ssrc === s.ssrc)?.bytes ?? Infinity)).length;
}

/** Resolves when every page hears the two others. */
async function everyoneHears(members: MeetingPage[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const done = new Set<number>();
  while (done.size < members.length) {
    if (Date.now() > deadline) {
      const phases = await Promise.all(members.map((m) => m.page.getAttribute('[data-testid=room]', 'data-phase').catch(() => 'gone')));
      throw new Error(`only ${done.size} of ${members.length} members hear the others after ${timeoutMs} ms (phases ${phases.join(', ')})`);
    }
    await Promise.all(members.map(async (m, i) => {
      if (!done.has(i) && (await audioFlowing(m.page).catch(() => 0)) >= members.length - 1) done.add(i);
    }));
  }
}

function adminUrl(): string {
  if (process.env.TEST_POSTGRES_URL) return process.env.TEST_POSTGRES_URL;
  return execFileSync('bash', ['scripts/postgres.sh', 'start'], { encoding: 'utf8' }).trim();
}

/** Stretches of one member overlapping another of theirs (two open at once counts too). */
function doubleAttendance(intervals: AttendanceInterval[]): number {
  let doubles = 0;
  const byUser = new Map<number, AttendanceInterval[]>();
  for (const i of intervals) byUser.set(i.userId, [...(byUser.get(i.userId) ?? []), i]);
  for (const list of byUser.values()) {
    const sorted = [...list].sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime());
    for (let i = 1; i < sorted.length; i++) {
      const prevEnd = sorted[i - 1]!.leftAt?.getTime() ?? Infinity;
      if (sorted[i]!.joinedAt.getTime() < prevEnd) doubles++;
    }
  }
  return doubles;
}

export default async function failover(): Promise<void> {
  const admin = adminUrl();
  const database = `lajna_failover_${process.pid}`;
  const adminClient = new pg.Client({ connectionString: admin });
  await adminClient.connect();
  await adminClient.query(`CREATE DATABASE ${database}`);
  const url = new URL(admin);
  url.pathname = `/${database}`;
  const databaseUrl = url.toString();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lajna-failover-'));
  const ports = { 'node-a': await freePort(), 'node-b': await freePort() };
  const nodes = new Map<string, NodeProcess>();
  const start = async (nodeId: keyof typeof ports, seed = false) => {
    nodes.set(nodeId, await NodeProcess.create({ nodeId, databaseUrl, dataDir, port: ports[nodeId], env: { LEASE_SECONDS: String(LEASE_SECONDS), SEED_DEMO: String(seed) } }));
  };
  let proxy: Haproxy | undefined;
  const browser = await launchBrowser();
  const sequelize = await openDatabase({ dataDir, databaseUrl });
  try {
    await start('node-a', true);
    await start('node-b');
    defineModels(sequelize);
    proxy = await Haproxy.create(ports);

    const sessionId = await createRemoteSession();
    await agendaOfDossiers(proxy.url, sessionId, [{}]);
    const [item] = await AgendaItem.findAll({ where: { sessionId } });
    const members: MeetingPage[] = [];
    for (const email of MEMBERS) {
      const m = await openMeeting(browser, proxy.url, email, sessionId);
      m.page.on('console', (msg) => process.env.FAILOVER_DEBUG && console.log(`[${email}] ${msg.text()}`));
      // Audio only: three Chromiums and two nodes share two cores; the sound is what is measured.
      await m.page.check('[data-testid=audio-only]');
      await clickJoin(m.page);
      members.push(m);
    }
    await everyoneHears(members, 60_000);

    // The chair opens the session and a vote; two members cast, each from a socket of their own on the holder.
    const holder = async () => nodes.get((await SessionLease.findByPk(sessionId))!.nodeId)!;
    const direct = async <T>(email: string, act: (s: Awaited<ReturnType<typeof meetingSocket>>) => Promise<T>) => {
      const s = await meetingSocket((await holder()).url, email);
      try {
        await joinMeeting(s, sessionId);
        return await act(s);
      } finally {
        s.disconnect();
      }
    };
    const vote = await direct(MEMBERS[0]!, async (s) => {
      await openSession(s);
      return meetingData<OpenVoteView>(s, 'openVote', { agendaItemId: item!.id, question: 'Avis ?' });
    });
    for (const email of MEMBERS.slice(1)) await direct(email, (s) => meetingData(s, 'castBallot', { voteId: vote.id, choice: 'favourable' }));
    const cast = await Ballot.count({ where: { voteId: vote.id } });

    const recoverMs: number[] = [];
    let ballotsLost = 0;
    let voteLost = 0;
    for (let k = 0; k < KILLS; k++) {
      await sleep(3000);
      const victim = await holder();
      const t0 = Date.now();
      await victim.kill();
      await everyoneHears(members, 90_000);
      recoverMs.push(Date.now() - t0);
      const survivor = (await SessionLease.findByPk(sessionId))!.nodeId;
      ballotsLost = Math.max(ballotsLost, cast - (await Ballot.count({ where: { voteId: vote.id } })));
      const snapshotVote = await direct(MEMBERS[0]!, async (s) => (await joinMeeting(s, sessionId)).features.voting.open.find((v) => v.id === vote.id));
      if (snapshotVote?.voted.length !== cast || (await Vote.findByPk(vote.id))?.status !== 'open') voteLost++;
      console.log(`kill ${k + 1}: ${victim.nodeId} killed, ${survivor} holds the session, everyone hears everyone after ${recoverMs.at(-1)} ms`);
      await start(victim.nodeId as keyof typeof ports);
    }
    const intervals = await AttendanceInterval.findAll({ where: { sessionId } });
    const memberIds = (await User.findAll({ where: { email: MEMBERS } })).map((u) => u.id);
    writeResult('failover', {
      kills: KILLS,
      lease_seconds: LEASE_SECONDS,
      recover_ms_p50: percentile(recoverMs, 50),
      recover_ms_max: Math.max(...recoverMs),
      ballots_cast: cast,
      ballots_lost: ballotsLost,
      open_vote_lost: voteLost,
      double_attendance: doubleAttendance(intervals.filter((i) => memberIds.includes(i.userId))),
      attendance_stretches: intervals.filter((i) => memberIds.includes(i.userId)).length,
    });
  } finally {
    await browser.close();
    await proxy?.close();
    await Promise.all([...nodes.values()].map((n) => n.kill()));
    await sequelize.close();
    await adminClient.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await adminClient.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
