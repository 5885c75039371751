/**
 * The many-page part of pdf-first-page: a 4,000-page, 40 MB dossier file presented in the
 * meeting room on localhost, as issue 19 found it (four browsers on two cores: the chair
 * presenting, three members following, each a fresh Chromium context with a cold cache).
 * From the presenter's click on the document to the first page drawn on each screen, then
 * from the presenter's Enter on page 3,000 to that page drawn on each screen. The clock is
 * shared (performance.timeOrigin + now() on every page).
 */
import type { Page } from 'playwright-core';
import { AgendaItem } from '../../db/models';
import { agendaOfDossiers, smallPdf } from '../../tests/support/agenda';
import { launchBrowser } from '../../tests/support/browser';
import { cachedManyPagesPdf, MANY_PAGES, type ManyPagesOptions } from '../../tests/support/fixtures/manyPagesPdf';
import { clickJoin, createRemoteSession, openMeeting, type MeetingPage } from '../../tests/support/meeting';
import { startTestServer } from '../../tests/support/server';

const PRESENTER = 'chair@ain-draham.tn';
const MEMBERS = ['architect@ain-draham.tn', 'engineer@ain-draham.tn', 'urbanism@ain-draham.tn'];
export const JUMP_TO = 3000;

declare global {
  interface Window {
    /** Every page canvas put in place: when, which page, of how many pages. */
    __canvases: { at: number; page: number; of: string }[];
  }
}

/** Records, on a page of the room, each page canvas the viewer puts in place. */
function watchCanvases(page: Page): Promise<void> {
  return page.evaluate(() => {
    window.__canvases = [];
    new MutationObserver((records) => {
      for (const r of records)
        for (const n of r.addedNodes)
          if (n instanceof HTMLCanvasElement && n.dataset.testid === 'pdf-canvas') {
            const of = document.querySelector('[data-testid=page-label]')?.textContent ?? '';
            window.__canvases.push({ at: performance.timeOrigin + performance.now(), page: Number(n.dataset.page), of });
          }
    }).observe(document.body, { childList: true, subtree: true });
  });
}

/** When this page first drew page `n` of the many-page file after `since`. */
async function drawnAt(page: Page, n: number, pages: number, since: number): Promise<number> {
  const handle = await page.waitForFunction(
    ({ n, pages, since }) => window.__canvases.find((c) => c.at >= since && c.page === n && c.of.includes(`/ ${pages}`))?.at ?? false,
    { n, pages, since },
    { timeout: 300_000, polling: 20 },
  );
  return (await handle.jsonValue()) as number;
}

const now = (page: Page) => page.evaluate(() => performance.timeOrigin + performance.now());

export interface ViewerTimes {
  presenter: number;
  /** One per member. */
  members: number[];
}

/**
 * Runs the scenario `runs` times on `file` options; every run opens four fresh contexts,
 * the presenter first shows a one-page sheet (so that the big file is opened by the click
 * measured), then the big file, then page 3,000.
 */
export async function manyPagesInMeeting(runs: number, options: ManyPagesOptions = MANY_PAGES): Promise<{ first: ViewerTimes[]; jump: ViewerTimes[] }> {
  const file = cachedManyPagesPdf(options);
  // The file is over the default PDF_MAX_PAGES (2,000): this host accepts bigger dossiers.
  const [server, browser] = await Promise.all([startTestServer((c) => (c.pdf.maxPages = options.pages)), launchBrowser()]);
  const first: ViewerTimes[] = [], jump: ViewerTimes[] = [];
  try {
    const sessionId = await createRemoteSession();
    const [dossier] = await agendaOfDossiers(server.url, sessionId, [{ architect_plans: file, signed_request: smallPdf() }]);
    const big = dossier!.documents.find((d) => d.itemCode === 'architect_plans')!.versionId;
    const sheet = dossier!.documents.find((d) => d.itemCode === 'signed_request')!.versionId;
    const itemId = (await AgendaItem.findOne({ where: { sessionId } }))!.id;
    for (let run = 1; run <= runs; run++) {
      const rooms: MeetingPage[] = [];
      try {
        for (const email of [PRESENTER, ...MEMBERS]) {
          const m = await openMeeting(browser, server.url, email, sessionId);
          rooms.push(m);
          await clickJoin(m.page, { media: false });
          await m.page.click('[data-testid=tab-document]');
        }
        const pages = rooms.map((m) => m.page);
        const presenter = pages[0]!;
        if (run === 1) {
          // The chair opens the session and the item once; both stay for the later runs.
          await presenter.click('[data-testid=open-session]');
          await presenter.waitForSelector('[data-testid=waiting-room]', { state: 'detached' });
          await presenter.click(`[data-testid=open-item-${itemId}]`);
        }
        await presenter.click(`[data-testid=document-${sheet}]`);
        for (const p of pages) await p.waitForSelector('[data-testid=pdf-canvas]', { timeout: 60_000 });
        await Promise.all(pages.map(watchCanvases));

        const clicked = await now(presenter);
        await presenter.click(`[data-testid=document-${big}]`);
        const opened = await Promise.all(pages.map((p) => drawnAt(p, 1, options.pages, clicked)));
        if (process.env.DIAG) for (const p of [pages[0]!, pages[1]!]) console.log(await p.evaluate((since) => performance.getEntriesByType('resource').filter((e) => performance.timeOrigin + e.startTime >= since - 5).map((e) => `${(performance.timeOrigin + e.startTime - since).toFixed(0)}→${(performance.timeOrigin + (e as PerformanceResourceTiming).responseEnd - since).toFixed(0)} ${e.name.slice(-60)} ${(e as PerformanceResourceTiming).transferSize}`).join('\n'), clicked));
        first.push({ presenter: opened[0]! - clicked, members: opened.slice(1).map((at) => at - clicked) });

        await presenter.fill('[data-testid=page-input]', String(JUMP_TO));
        const entered = await now(presenter);
        await presenter.press('[data-testid=page-input]', 'Enter');
        const jumped = await Promise.all(pages.map((p) => drawnAt(p, JUMP_TO, options.pages, entered)));
        jump.push({ presenter: jumped[0]! - entered, members: jumped.slice(1).map((at) => at - entered) });
        const ms = (t: ViewerTimes) => `presenter ${t.presenter.toFixed(0)} ms, members ${t.members.map((m) => m.toFixed(0)).join(', ')} ms`;
        console.log(`many pages (${options.tree ?? 'flat'} tree), run ${run}: first page ${ms(first.at(-1)!)}; page ${JUMP_TO}: ${ms(jump.at(-1)!)}`);
        // Back to the sheet, so that the next run's joiners do not open (and cache) the big file on joining.
        await presenter.click(`[data-testid=document-${sheet}]`);
        for (const p of pages) await p.waitForFunction(() => !document.querySelector('[data-testid=page-label]')?.textContent?.includes('/ 4'), undefined, { timeout: 60_000 });
      } finally {
        for (const m of rooms) await m.context.close().catch(() => undefined);
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return { first, jump };
}
