/**
 * Page sync: the presenter turns a page → the page is drawn on each follower. One
 * Chromium, six contexts (the chair presents, five members follow), all in the room
 * without camera or microphone; the chair opens a plan-like set of A2 sheets and turns
 * TURNS pages. The clock is shared (performance.timeOrigin + now() on both pages): from
 * the click on "next page" on the presenter's page to the moment each follower's viewer
 * has drawn that page (its data-rendered-page, set when the page canvas is in place).
 * Through the whole app: socket event, server checks, the persisted write, broadcast,
 * range requests for the page's objects, pdf.js rendering.
 */
import type { Page } from 'playwright-core';
import { AgendaItem } from '../db/models';
import { agendaOfDossiers } from '../tests/support/agenda';
import { launchBrowser } from '../tests/support/browser';
import { clickJoin, createRemoteSession, openMeeting, type MeetingPage } from '../tests/support/meeting';
import { startTestServer } from '../tests/support/server';
import { cachedPlanPdf } from '../tests/support/fixtures/planPdf';
import { percentile, writeResult } from './lib';

const TURNS = 20;
const PRESENTER = 'chair@ain-draham.tn';
const FOLLOWERS = ['architect@ain-draham.tn', 'engineer@ain-draham.tn', 'urbanism@ain-draham.tn', 'steg@ain-draham.tn', 'protection@ain-draham.tn'];
/** A2 sheets of vector drawings, one more than the turns. */
const PLAN = { pages: TURNS + 1, paths: 400, segments: 60, seed: 77, width: 1191, height: 1684 };

declare global {
  interface Window {
    /** Page number → when this page first had that page drawn (epoch ms). */
    __drawnAt: Record<string, number>;
  }
}

/** Records, on a follower's page, when each page number is first drawn. */
function watchDrawn(page: Page): Promise<void> {
  return page.evaluate(() => {
    const viewer = document.querySelector<HTMLElement>('[data-testid=pdf-viewer]')!;
    window.__drawnAt = {};
    new MutationObserver(() => {
      const n = viewer.dataset.renderedPage;
      if (n && !(n in window.__drawnAt)) window.__drawnAt[n] = performance.timeOrigin + performance.now();
    }).observe(viewer, { attributes: true, attributeFilter: ['data-rendered-page'] });
  });
}

const drawnAt = (page: Page, n: number) => page.evaluate((k) => window.__drawnAt[k] ?? null, String(n));

async function waitDrawn(page: Page, n: number): Promise<number> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const at = await drawnAt(page, n);
    if (at !== null) return at;
    if (Date.now() > deadline) throw new Error(`page ${n} not drawn within 60 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export default async function pageSync(): Promise<void> {
  const [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  const pages: MeetingPage[] = [];
  try {
    const sessionId = await createRemoteSession();
    const [dossier] = await agendaOfDossiers(server.url, sessionId, [{ architect_plans: cachedPlanPdf(PLAN) }]);
    const plan = dossier!.documents.find((d) => d.itemCode === 'architect_plans')!;
    const itemId = (await AgendaItem.findOne({ where: { sessionId } }))!.id;
    for (const email of [PRESENTER, ...FOLLOWERS]) {
      const m = await openMeeting(browser, server.url, email, sessionId);
      await clickJoin(m.page, { media: false });
      pages.push(m);
    }
    const [presenter, ...followers] = pages.map((m) => m.page);
    await presenter!.click('[data-testid=open-session]');
    await presenter!.click('[data-testid=tab-document]');
    await presenter!.click(`[data-testid=open-item-${itemId}]`);
    await presenter!.click(`[data-testid=document-${plan.versionId}]`);
    for (const f of followers) await f.waitForSelector('[data-testid=pdf-viewer][data-rendered-page="1"]', { timeout: 60_000 });
    await Promise.all(followers.map(watchDrawn));

    const samples: number[] = [];
    for (let n = 2; n <= TURNS + 1; n++) {
      const turnedAt = await presenter!.evaluate(() => {
        const at = performance.timeOrigin + performance.now();
        document.querySelector<HTMLButtonElement>('[data-testid=page-next]')!.click();
        return at;
      });
      const drawn = await Promise.all(followers.map((f) => waitDrawn(f, n)));
      const turn = drawn.map((at) => at - turnedAt);
      samples.push(...turn);
      console.log(`page ${n}: ${turn.map((s) => s.toFixed(0)).join(', ')} ms`);
      // Let the presenter's own page settle before the next turn, as a person would.
      await presenter!.waitForSelector(`[data-testid=pdf-viewer][data-rendered-page="${n}"]`, { timeout: 60_000 });
    }
    writeResult('page-sync', {
      page_sync_ms_p50: Math.round(percentile(samples, 50)),
      page_sync_ms_p95: Math.round(percentile(samples, 95)),
      samples: samples.length,
      followers: followers.length,
    });
  } finally {
    for (const m of pages) await m.context.close().catch(() => undefined);
    await browser.close();
    await server.close();
  }
}
