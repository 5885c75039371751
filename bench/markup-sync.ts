/**
 * Markup sync: the presenter draws with the pen → each point is drawn on each follower's
 * page. One Chromium, six contexts (the chair presents, five members follow), in the room
 * without camera or microphone, on a 1:100 plan. The presenter draws STROKES pen strokes of
 * POINTS points with the mouse at a hand's pace (one move per FRAME_MS). The clock is
 * shared (performance.timeOrigin + now() on every page): from the presenter's pointer event
 * of a point to the moment each follower's overlay has that point in its live stroke
 * (a MutationObserver on the SVG). Through the whole app: the client's batching (a send
 * every 50 ms), socket.io, the server's rights and place checks, the broadcast, Solid's
 * update of the SVG.
 */
import type { Page } from 'playwright-core';
import { AgendaItem } from '../db/models';
import { agendaOfDossiers } from '../tests/support/agenda';
import { launchBrowser } from '../tests/support/browser';
import { scaledPlanPdf } from '../tests/support/fixtures/scaledPlanPdf';
import { clickJoin, createRemoteSession, openMeeting, type MeetingPage } from '../tests/support/meeting';
import { startTestServer } from '../tests/support/server';
import { percentile, writeResult } from './lib';

const STROKES = 10;
const POINTS = 40;
/** A mouse at 60 Hz. */
const FRAME_MS = 16;
const PRESENTER = 'chair@ain-draham.tn';
const FOLLOWERS = ['architect@ain-draham.tn', 'engineer@ain-draham.tn', 'urbanism@ain-draham.tn', 'steg@ain-draham.tn', 'protection@ain-draham.tn'];

declare global {
  interface Window {
    /** Presenter: when each point of the current stroke was input. Follower: when each point first showed. */
    __at: number[];
  }
}

/** Presenter: records the time of the pointer events that make the stroke's points. */
function watchInput(page: Page): Promise<void> {
  return page.evaluate(() => {
    window.__at = [];
    const layer = document.querySelector('[data-testid=markup-layer]')!;
    // No named functions in here: tsx would wrap them in a helper the page does not have.
    layer.addEventListener('pointerdown', () => window.__at.push(performance.timeOrigin + performance.now()));
    layer.addEventListener('pointermove', (e) => (e as PointerEvent).buttons && window.__at.push(performance.timeOrigin + performance.now()));
  });
}

/** Follower: records when each point of the live stroke first shows. */
function watchShown(page: Page): Promise<void> {
  return page.evaluate(() => {
    window.__at = [];
    const layer = document.querySelector('[data-testid=markup-layer]')!;
    new MutationObserver(() => {
      const d = layer.querySelector('[data-testid=markup-live] .shape')?.getAttribute('d');
      const n = d ? (d.match(/[ML]/g) ?? []).length : 0;
      const at = performance.timeOrigin + performance.now();
      while (window.__at.length < n) window.__at.push(at);
    }).observe(layer, { subtree: true, childList: true, attributes: true, attributeFilter: ['d'] });
  });
}

const times = (page: Page) => page.evaluate(() => window.__at.splice(0));

export default async function markupSync(): Promise<void> {
  const [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  const pages: MeetingPage[] = [];
  try {
    const sessionId = await createRemoteSession();
    const [dossier] = await agendaOfDossiers(server.url, sessionId, [{ architect_plans: await scaledPlanPdf({ declareScale: true }) }]);
    const plan = dossier!.documents.find((d) => d.itemCode === 'architect_plans')!;
    const itemId = (await AgendaItem.findOne({ where: { sessionId } }))!.id;
    for (const [i, email] of [PRESENTER, ...FOLLOWERS].entries()) {
      const m = await openMeeting(browser, server.url, email, sessionId, i === 0 ? { viewport: { width: 1280, height: 1500 } } : {});
      await clickJoin(m.page, { media: false });
      await m.page.click('[data-testid=tab-document]');
      pages.push(m);
    }
    const [presenter, ...followers] = pages.map((m) => m.page) as [Page, ...Page[]];
    await presenter.click('[data-testid=open-session]');
    await presenter.click(`[data-testid=open-item-${itemId}]`);
    await presenter.click(`[data-testid=document-${plan.versionId}]`);
    for (const p of pages) await p.page.waitForSelector('[data-testid=markup-layer]', { timeout: 60_000 });
    await presenter.selectOption('[data-testid=zoom-select]', 'fit-page');
    await presenter.click('[data-testid=markup-tool-pen]');
    await presenter.waitForSelector('[data-testid=markup-layer][data-tool=pen]');
    await watchInput(presenter);
    await Promise.all(followers.map(watchShown));
    const box = (await presenter.locator('[data-testid=markup-layer]').boundingBox())!;

    const samples: number[] = [];
    for (let s = 0; s < STROKES; s++) {
      const y = box.y + box.height * (0.15 + (0.7 * s) / STROKES);
      await presenter.mouse.move(box.x + box.width * 0.1, y);
      await presenter.mouse.down();
      for (let i = 1; i < POINTS; i++) {
        await presenter.mouse.move(box.x + box.width * (0.1 + (0.8 * i) / POINTS), y + 10 * Math.sin(i / 3));
        await new Promise((r) => setTimeout(r, FRAME_MS));
      }
      // Every follower shows the whole stroke live before it is finished (then the kept markup replaces it).
      for (const f of followers) await f.waitForFunction((n) => window.__at.length >= n, POINTS, { timeout: 30_000 });
      await presenter.mouse.up();
      const input = await times(presenter);
      const stroke: number[] = [];
      for (const f of followers) {
        const shown = await times(f);
        for (let i = 0; i < POINTS; i++) stroke.push(shown[i]! - input[i]!);
      }
      samples.push(...stroke);
      console.log(`stroke ${s + 1}: p50 ${percentile(stroke, 50).toFixed(0)} ms, max ${Math.max(...stroke).toFixed(0)} ms`);
      for (const f of followers) await f.waitForSelector(`[data-testid=markup][data-number="${s + 1}"]`, { timeout: 30_000 });
    }
    writeResult('markup-sync', {
      markup_sync_ms_p50: Math.round(percentile(samples, 50)),
      markup_sync_ms_p95: Math.round(percentile(samples, 95)),
      markup_sync_ms_max: Math.round(Math.max(...samples)),
      samples: samples.length,
      followers: followers.length,
      stream_batch_ms: 50,
    });
  } finally {
    for (const m of pages) await m.context.close().catch(() => undefined);
    await browser.close();
    await server.close();
  }
}
