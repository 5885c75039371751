/**
 * weak-link: the meeting as members on a weak line live it (issue 19). For each profile of
 * bench/link/profiles.ts (rural, bad), a fresh server; the chair on a clear line with
 * microphone and camera, two members on emulated lines of that profile (bench/link): one
 * with camera and microphone, one audio-only with microphone. Through the whole run every
 * receiver's audio is read (concealedSamples / totalSamplesReceived).
 *
 * 1. Join: click "join" → the first remote audio bytes at each member.
 * 2. The plan: the chair presents a 40 MB, 60-sheet A0 plan; the members' viewers open it
 *    over their lines while the chair speaks, and a vote is open: ballots are cast every
 *    4 s. Concealed audio and ballot acks are taken over this load (until each member's
 *    first page is drawn, at most PLAN_WINDOW_MS).
 * 3. The sheets: the chair opens a five-sheet set (each member's first sheet drawn:
 *    document open) and turns a page every 4 s; each member's
 *    viewer draws it (page sync), ballots go on between the turns.
 * A member who leaves the room (reconnecting, refused) or stops receiving audio for the
 * rest of the run counts in `*_members_dropped`.
 */
import os from 'node:os';
import type { Browser } from 'playwright-core';
import { AgendaItem, User } from '../db/models';
import { agendaOfDossiers } from '../tests/support/agenda';
import { launchBrowser } from '../tests/support/browser';
import { BENCH_PLAN, cachedPlanPdf } from '../tests/support/fixtures/planPdf';
import { clickJoin, createRemoteSession, openMeeting, type MeetingPage } from '../tests/support/meeting';
import { percentile, writeResult } from './lib';
import { PROFILES, type LinkProfile } from './link/profiles';
import { castAndWait, concealedBetween, drawnAfter, inboundTotals, type InboundTotals, PageTrace, viewerState, watchDrawn } from './link/meetingProbe';
import type { Link } from './link/relay';
import { ShapedServer } from './link/shapedServer';

const CHAIR = 'chair@ain-draham.tn';
const MEMBERS = [
  { email: 'architect@ain-draham.tn', media: true },
  { email: 'engineer@ain-draham.tn', media: 'audio' as const },
];
/** Five A3 sheets of light drawings: what the committee pages through while it talks. */
const SHEETS = { pages: 5, paths: 60, segments: 40, seed: 5, width: 1191, height: 842 };
const PLAN_WINDOW_MS = Number(process.env.PLAN_WINDOW_MS ?? 90_000);
const TURNS = Number(process.env.TURNS ?? 12);
const TURN_EVERY_MS = 4000;
const CHOICES = ['favourable', 'unfavourable'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Member extends MeetingPage {
  email: string;
  link?: Link;
  trace: PageTrace;
}

interface ProfileFigures {
  concealedPlanPct: number;
  concealedPct: number;
  uplinkConcealedPct: number;
  joinFirstAudioMs: number[];
  pageSyncMs: number[];
  ballotAckMs: number[];
  /** Ballots whose acknowledgement did not show within 30 s. */
  unacknowledged: number;
  planFirstPageMs: number[];
  /** The chair opens the five sheets (the plan on screen) → each member's first sheet drawn. */
  documentOpenMs: number[];
  dropped: number;
}

const pct = (parts: { total: number; concealed: number }[]) => {
  const total = parts.reduce((s, p) => s + p.total, 0);
  return total > 0 ? (100 * parts.reduce((s, p) => s + p.concealed, 0)) / total : NaN;
};

/** Prints what a late member's page did since `since` (a first sheet or a turn). */
async function traced(m: Member, since: number): Promise<void> {
  console.log(`    ${m.email}:\n${await m.trace.since(since)}`);
}

/** Joins and resolves click → first remote audio bytes (ms). */
async function joinTimed(m: Member, media: boolean | 'audio'): Promise<number> {
  if (media === 'audio') await m.page.check('[data-testid=audio-only]');
  await m.page.waitForSelector('[data-testid=join]:not([disabled])');
  const start = Date.now();
  await clickJoin(m.page);
  for (;;) {
    if ((await inboundTotals(m.page)).bytes > 0) return Date.now() - start;
    if (Date.now() - start > 60_000) throw new Error(`${m.email}: no audio within 60 s of joining`);
    await sleep(50);
  }
}

async function runProfile(browser: Browser, profile: LinkProfile): Promise<ProfileFigures> {
  const shaped = await ShapedServer.create();
  const pages: Member[] = [];
  try {
    const sessionId = await createRemoteSession();
    const [dossier] = await agendaOfDossiers(shaped.url, sessionId, [{ architect_plans: cachedPlanPdf(SHEETS), topographic_survey: cachedPlanPdf(BENCH_PLAN) }]);
    const sheets = dossier!.documents.find((d) => d.itemCode === 'architect_plans')!;
    const plan = dossier!.documents.find((d) => d.itemCode === 'topographic_survey')!;
    const itemId = (await AgendaItem.findOne({ where: { sessionId } }))!.id;

    const chairPage = await openMeeting(browser, shaped.url, CHAIR, sessionId);
    const chair: Member = { email: CHAIR, trace: new PageTrace(chairPage.page), ...chairPage };
    pages.push(chair);
    await clickJoin(chair.page);
    await chair.page.click('[data-testid=open-session]');
    await chair.page.waitForSelector('[data-testid=waiting-room]', { state: 'detached' });
    const members: Member[] = [];
    const joinFirstAudioMs: number[] = [];
    for (const { email, media } of MEMBERS) {
      const userId = (await User.findOne({ where: { email } }))!.id;
      const { url, link } = await shaped.lineFor(userId, profile);
      const opened = await openMeeting(browser, url, email, sessionId);
      const m: Member = { email, link, trace: new PageTrace(opened.page), ...opened };
      pages.push(m);
      members.push(m);
      joinFirstAudioMs.push(await joinTimed(m, media));
    }
    console.log(`${profile.name}: join → first audio ${joinFirstAudioMs.join(', ')} ms`);
    for (const m of members) await m.page.click('[data-testid=tab-document]');
    await chair.page.click('[data-testid=tab-document]');
    await chair.page.click(`[data-testid=open-item-${itemId}]`);
    await Promise.all(pages.map((m) => m.page.waitForSelector('[data-testid=document-pane]')));

    // The timeline: every 2 s, each member's received media, downlink and room state.
    const start = Date.now();
    /** When each member last received audio: one silent for 10 s is counted dropped. */
    const heardAt = new Map<string, number>();
    /** Each member's readings the round before, for what these 2 s brought. */
    const previous = new Map<string, { totals?: InboundTotals; down?: Link['down']['bytes'] }>();
    const timeline = setInterval(() => {
      void Promise.all(
        members.map(async (m) => {
          const now = await inboundTotals(m.page).catch(() => undefined);
          const phase = await m.page.getAttribute('[data-testid=room]', 'data-phase').catch(() => '?');
          const following = await m.page.getAttribute('[data-testid=following]', 'data-following').catch(() => '?');
          const was = previous.get(m.email);
          // A receiver rebuilt after a reconnection restarts its counters: any change is audio arriving.
          if (now && now.bytes !== was?.totals?.bytes) heardAt.set(m.email, Date.now());
          const down = m.link && { ...m.link.down.bytes };
          previous.set(m.email, { totals: now ?? was?.totals, down });
          const grew = (k: 'bytes' | 'videoBytes' | 'transportBytes') => `${now && was?.totals ? now[k] - was.totals[k] : '?'}B`;
          const queue = m.link ? ` queue ↑${m.link.up.backlogMs.toFixed(0)} ↓${m.link.down.backlogMs.toFixed(0)} ms` : '';
          // What took the downlink these 2 s, and the requests still running.
          const kB = (k: 'datagram' | 'stream') => ((down![k] - (was?.down?.[k] ?? 0)) / 1000).toFixed(1);
          const took = down ? ` ↓udp ${kB('datagram')} tcp ${kB('stream')} kB` : '';
          const running = m.trace.inFlight();
          return `${m.email.split('@')[0]} ${phase} following=${following} audio+${grew('bytes')} video+${grew('videoBytes')} rtc+${grew('transportBytes')}${queue}${took}${running.length ? ` [${running.join(', ')}]` : ''}`;
        }),
      ).then((rows) => console.log(`  t=${((Date.now() - start) / 1000).toFixed(0)}s ${rows.join(' | ')}`));
    }, 2000);

    const uplink = async () => inboundTotals(chair.page);
    const readAll = () => Promise.all(members.map((m) => inboundTotals(m.page)));
    const ballotAckMs: number[] = [];
    let choice = 0;
    let unacknowledged = 0;
    const castAll = async () => {
      const c = CHOICES[choice++ % CHOICES.length]!;
      const acks = await Promise.all(members.map((m) => castAndWait(m.page, c)));
      console.log(`  ballot ${c}: ${acks.map((ms) => (ms === null ? 'no ack' : `${ms.toFixed(0)} ms`)).join(', ')}`);
      for (const ms of acks) if (ms === null) unacknowledged++;
      else ballotAckMs.push(ms);
    };

    try {
      // 2. The plan, with a vote open.
      await chair.page.click('[data-testid=tab-vote]');
      await chair.page.fill('[data-testid=open-vote-question]', 'Avis sur le permis ?');
      await chair.page.click('[data-testid=open-vote]');
      for (const m of members) await m.page.click('[data-testid=tab-vote]');
      await Promise.all(members.map((m) => m.page.waitForSelector('[data-testid=ballot-favourable]', { timeout: 60_000 })));
      for (const m of members) await m.page.click('[data-testid=tab-document]');
      await Promise.all(members.map((m) => m.page.waitForSelector('[data-testid=document-pane]')));
      await chair.page.click('[data-testid=tab-document]');
      const [planBefore, upBefore] = [await readAll(), await uplink()];
      const planOpened = Date.now();
      await chair.page.click(`[data-testid=document-${plan.versionId}]`);
      const planFirstPageMs: number[] = [];
      const firstPages = Promise.all(
        members.map(async (m) => {
          await m.page.waitForSelector('[data-testid=pdf-viewer]', { timeout: PLAN_WINDOW_MS });
          await watchDrawn(m.page);
          const at = await drawnAfter(m.page, 1, 0, PLAN_WINDOW_MS);
          planFirstPageMs.push(Math.round(at === null ? PLAN_WINDOW_MS : at - planOpened));
        }),
      );
      let loading = true;
      void firstPages.finally(() => (loading = false));
      while (loading) {
        await Promise.race([castAll(), sleep(TURN_EVERY_MS)]);
        await Promise.race([firstPages, sleep(TURN_EVERY_MS)]);
      }
      const planAfter = await readAll();
      const concealedPlanPct = pct(members.map((_, i) => concealedBetween(planBefore[i]!, planAfter[i]!)));
      console.log(`${profile.name}: plan first page ${planFirstPageMs.join(', ')} ms, audio concealed ${concealedPlanPct.toFixed(1)} %`);

      // 3. The sheets.
      // Each screen's record starts again: page 1 of the sheets is told from page 1 of the plan by time.
      await Promise.all(pages.map((m) => watchDrawn(m.page)));
      const sheetsOpened = Date.now();
      await chair.page.click(`[data-testid=document-${sheets.versionId}]`);
      const [, ...sheetFirst] = await Promise.all(pages.map((m) => drawnAfter(m.page, 1, sheetsOpened, 60_000)));
      const documentOpenMs = sheetFirst.map((at) => (at === null ? 60_000 : Math.round(at - sheetsOpened)));
      console.log(`  sheets page 1: ${documentOpenMs.join(', ')} ms`);
      for (const [i, ms] of documentOpenMs.entries()) if (ms > 10_000) await traced(members[i]!, sheetsOpened);
      // The chair speaks to the first sheet as to every other before turning.
      await Promise.all([castAll(), sleep(TURN_EVERY_MS)]);
      const pageSyncMs: number[] = [];
      for (let turn = 0; turn < TURNS; turn++) {
        const next = 2 + (turn % 4);
        const turnedAt = await chair.page.evaluate(() => {
          const at = performance.timeOrigin + performance.now();
          document.querySelector<HTMLButtonElement>('[data-testid=page-next]')!.click();
          return at;
        });
        const drawn = await Promise.all(members.map((m) => drawnAfter(m.page, next, turnedAt - 1, 30_000)));
        const shown = await Promise.all(members.map((m, i) => (drawn[i] === null ? viewerState(m.page) : Promise.resolve(''))));
        const late = drawn.includes(null) ? `; chair: ${await viewerState(chair.page)}` : '';
        console.log(`  page ${next}: ${drawn.map((at, i) => (at === null ? `not drawn in 30 s (${shown[i]})` : `${(at - turnedAt).toFixed(0)} ms`)).join(', ')}${late}`);
        for (const [i, at] of drawn.entries()) if (at === null || at - turnedAt > 1500) await traced(members[i]!, turnedAt);
        pageSyncMs.push(...drawn.map((at) => (at === null ? 30_000 : at - turnedAt)));
        if (next === 5) {
          // Back to the first sheet for the next round of turns.
          await chair.page.fill('[data-testid=page-input]', '1');
          await chair.page.press('[data-testid=page-input]', 'Enter');
          await Promise.all(members.map((m) => drawnAfter(m.page, 1, turnedAt, 30_000)));
        }
        await Promise.all([castAll(), sleep(TURN_EVERY_MS)]);
      }
      const [end, upEnd] = [await readAll(), await uplink()];
      const concealedPct = pct(members.map((_, i) => concealedBetween(planBefore[i]!, end[i]!)));
      const uplinkConcealedPct = pct([concealedBetween(upBefore, upEnd)]);
      const phases = await Promise.all(members.map((m) => m.page.getAttribute('[data-testid=room]', 'data-phase').catch(() => 'gone')));
      const silent = members.filter((m) => Date.now() - (heardAt.get(m.email) ?? 0) > 10_000);
      const dropped = new Set([...members.filter((_, i) => phases[i] !== 'joined'), ...silent]).size;
      return { concealedPlanPct, concealedPct, uplinkConcealedPct, joinFirstAudioMs, pageSyncMs, ballotAckMs, unacknowledged, planFirstPageMs, documentOpenMs, dropped };
    } finally {
      clearInterval(timeline);
    }
  } finally {
    for (const m of pages) await m.context.close().catch(() => undefined);
    await shaped.close();
  }
}

export default async function weakLink(): Promise<void> {
  const wanted = (process.env.PROFILES ?? 'rural,bad').split(',') as (keyof typeof PROFILES)[];
  const browser = await launchBrowser();
  // The machine's own load (other work on the shared cores), at the start and the end.
  const metrics: Record<string, number> = { machine_load_1m_start: +os.loadavg()[0]!.toFixed(1) };
  try {
    for (const name of wanted) {
      const f = await runProfile(browser, PROFILES[name]);
      Object.assign(metrics, {
        [`${name}_audio_concealed_pct`]: +f.concealedPlanPct.toFixed(2),
        [`${name}_page_sync_ms_p50`]: Math.round(percentile(f.pageSyncMs, 50)),
        [`${name}_page_sync_ms_p95`]: Math.round(percentile(f.pageSyncMs, 95)),
        [`${name}_ballot_ack_ms_p95`]: Math.round(percentile(f.ballotAckMs, 95)),
        [`${name}_join_first_audio_ms_p50`]: Math.round(percentile(f.joinFirstAudioMs, 50)),
        [`${name}_audio_concealed_pct_whole_run`]: +f.concealedPct.toFixed(2),
        [`${name}_uplink_audio_concealed_pct`]: +f.uplinkConcealedPct.toFixed(2),
        [`${name}_plan_first_page_ms_max`]: Math.max(...f.planFirstPageMs),
        [`${name}_document_open_ms_max`]: Math.max(...f.documentOpenMs),
        [`${name}_members_dropped`]: f.dropped,
        [`${name}_ballots_unacknowledged`]: f.unacknowledged,
      });
      console.table(metrics);
    }
    writeResult('weak-link', { ...metrics, machine_load_1m_end: +os.loadavg()[0]!.toFixed(1) });
  } finally {
    await browser.close();
  }
}
