import type { Browser, Page } from 'playwright-core';
import type { Sequelize } from 'sequelize';
import { openDatabase } from '../../db/connection';
import { AgendaItem, AttendanceInterval, SessionLease, defineModels } from '../../db/models';
import type { OpenVoteView } from '../../protocol/voting';
import { agendaOfDossiers } from './agenda';
import { launchBrowser } from './browser';
import { freePort, Haproxy } from './haproxy';
import { clickJoin, createRemoteSession, inbound, openMeeting, type MeetingPage } from './meeting';
import { joinMeeting, meetingData, meetingSocket, openSession, type MeetingClient } from './meetingSocket';
import { NodeProcess } from './nodeProcess';

const NODES = ['node-a', 'node-b'] as const;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Audio streams on the page whose bytes grew over half a second. */
async function audioFlowing(page: Page): Promise<number> {
  const before = await inbound(page);
  await sleep(500);
  const after = await inbound(page);
  return after.filter((s) => s.kind === 'audio' && s.bytes > (before.find((b) => b.ssrc === s.ssrc)?.bytes ?? Infinity)).length;
}

/** Stretches of one member overlapping another of theirs (two open at once counts too). */
export function doubleAttendance(intervals: AttendanceInterval[]): number {
  const byUser = new Map<number, AttendanceInterval[]>();
  for (const i of intervals) byUser.set(i.userId, [...(byUser.get(i.userId) ?? []), i]);
  let doubles = 0;
  for (const list of byUser.values()) {
    const sorted = [...list].sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime());
    for (let i = 1; i < sorted.length; i++) if (sorted[i]!.joinedAt.getTime() < (sorted[i - 1]!.leftAt?.getTime() ?? Infinity)) doubles++;
  }
  return doubles;
}

export interface FailoverRigOptions {
  /** An empty PostgreSQL database and the document store the nodes share. */
  databaseUrl: string;
  dataDir: string;
  leaseSeconds: number;
  /** Members in Chromium, the chair first. */
  members: string[];
}

/**
 * What a host runs, on one machine: HAProxy (scripts/haproxy.sh) in front of two app node
 * processes on one PostgreSQL database, and members in Chromium joined (audio only: the
 * sound is what is measured) through HAProxy to a live session with a vote open. The node
 * holding the session can be killed (-9) and started again.
 */
export class FailoverRig {
  readonly nodes = new Map<string, NodeProcess>();
  members: MeetingPage[] = [];
  sessionId = 0;
  vote: OpenVoteView | undefined;
  proxy: Haproxy | undefined;
  #ports = new Map<string, number>();

  private constructor(
    readonly opts: FailoverRigOptions,
    readonly browser: Browser,
    readonly sequelize: Sequelize,
  ) {}

  static async create(opts: FailoverRigOptions): Promise<FailoverRig> {
    const rig = new FailoverRig(opts, await launchBrowser(), await openDatabase({ dataDir: opts.dataDir, databaseUrl: opts.databaseUrl }));
    try {
      for (const id of NODES) rig.#ports.set(id, await freePort());
      for (const id of NODES) await rig.start(id, id === NODES[0]);
      defineModels(rig.sequelize);
      rig.proxy = await Haproxy.create(Object.fromEntries(rig.#ports));
      rig.sessionId = await createRemoteSession();
      await agendaOfDossiers(rig.proxy.url, rig.sessionId, [{}]);
      for (const email of opts.members) {
        const m = await openMeeting(rig.browser, rig.proxy.url, email, rig.sessionId);
        await m.page.check('[data-testid=audio-only]');
        await clickJoin(m.page);
        rig.members.push(m);
      }
      return rig;
    } catch (error) {
      await rig.close();
      throw error;
    }
  }

  /** Starts (or starts again) a node on its port; the first start seeds the demo data. */
  async start(nodeId: string, seed = false): Promise<void> {
    const { databaseUrl, dataDir, leaseSeconds } = this.opts;
    this.nodes.set(nodeId, await NodeProcess.create({ nodeId, databaseUrl, dataDir, port: this.#ports.get(nodeId), env: { LEASE_SECONDS: String(leaseSeconds), SEED_DEMO: String(seed) } }));
  }

  /** The node holding the session now. */
  async holder(): Promise<NodeProcess> {
    return this.nodes.get((await SessionLease.findByPk(this.sessionId))!.nodeId)!;
  }

  /** Acts as `email` from a socket of their own on the holder (joined), then leaves. */
  async direct<T>(email: string, act: (s: MeetingClient) => Promise<T>): Promise<T> {
    const s = await meetingSocket((await this.holder()).url, email);
    try {
      await joinMeeting(s, this.sessionId);
      return await act(s);
    } finally {
      s.disconnect();
    }
  }

  /** The chair opens the session and a vote on its one item; `voters` cast a favourable ballot. */
  async openVote(voters: string[]): Promise<OpenVoteView> {
    const [item] = await AgendaItem.findAll({ where: { sessionId: this.sessionId } });
    this.vote = await this.direct(this.opts.members[0]!, async (s) => {
      await openSession(s);
      return meetingData<OpenVoteView>(s, 'openVote', { agendaItemId: item!.id, question: 'Avis ?' });
    });
    for (const email of voters) await this.direct(email, (s) => meetingData(s, 'castBallot', { voteId: this.vote!.id, choice: 'favourable' }));
    return this.vote;
  }

  /** Resolves when every member's page hears all the others. */
  async everyoneHears(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const done = new Set<number>();
    while (done.size < this.members.length) {
      if (Date.now() > deadline) {
        const phases = await Promise.all(this.members.map((m) => m.page.getAttribute('[data-testid=room]', 'data-phase').catch(() => 'gone')));
        throw new Error(`only ${done.size} of ${this.members.length} members hear the others after ${timeoutMs} ms (phases ${phases.join(', ')})`);
      }
      await Promise.all(this.members.map(async (m, i) => {
        if (!done.has(i) && (await audioFlowing(m.page).catch(() => 0)) >= this.members.length - 1) done.add(i);
      }));
    }
  }

  async close(): Promise<void> {
    await this.browser.close();
    await this.proxy?.close();
    await Promise.all([...this.nodes.values()].map((n) => n.kill()));
    await this.sequelize.close();
  }
}
