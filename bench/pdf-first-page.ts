/**
 * pdf-first-page: time from navigation to the first drawn page of a 40 MB, 60-page A0
 * plan in Chromium on a link throttled to 2 Mbit/s (DevTools network emulation), opened
 * with range requests (the viewer's way) against downloading the whole file
 * first. Each run uses a fresh browser context (cold cache: the app, pdf.js's worker and
 * the PDF all come over the throttled link, in both modes). The PDF is served by the viewer harness (express
 * sendFile: single ranges, ETag) behind the app's own HTTP shell.
 *
 * Then the many-page file in the meeting room on localhost (bench/pdf/manyPagesMeeting.ts):
 * many_pages_first_page_ms and many_pages_jump_ms are the medians over runs of the slowest
 * of the four screens (presenter and members), for a flat page tree (the common and the
 * hard case: pdf.js reads every page dictionary before the first page, so the whole file);
 * the same file with a balanced page tree is printed beside it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../tests/support/browser';
import { startViewerHarness } from '../tests/support/viewerHarness';
import { MANY_PAGES } from '../tests/support/fixtures/manyPagesPdf';
import { cachedPlanPdf } from '../tests/support/fixtures/planPdf';
import { median, writeResult } from './lib';
import { manyPagesInMeeting, type ViewerTimes } from './pdf/manyPagesMeeting';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const BITS_PER_SECOND = 2_000_000;
const LATENCY_MS = 40;

async function firstPageMs(browser: Browser, url: string): Promise<{ ms: number; bytes: number }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    let bytes = 0;
    context.on('requestfinished', (r) => void r.sizes().then((s) => (bytes += s.responseBodySize), () => {}));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: LATENCY_MS,
      downloadThroughput: BITS_PER_SECOND / 8,
      uploadThroughput: BITS_PER_SECOND / 8,
    });
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(() => window.lajnaViewer?.rendered.length > 0, undefined, { timeout: 900_000, polling: 100 });
    const ms = await page.evaluate(() => window.lajnaViewer.rendered[0]!.at);
    return { ms, bytes };
  } finally {
    await context.close();
  }
}

export default async function pdfFirstPage(): Promise<void> {
  const file = cachedPlanPdf();
  const size = fs.statSync(file).size;
  console.log(`plan: ${file} (${(size / 1e6).toFixed(1)} MB), link ${BITS_PER_SECOND / 1e6} Mbit/s + ${LATENCY_MS} ms, ${RUNS} runs per mode`);
  const harness = await startViewerHarness(path.dirname(file));
  const browser = await launchBrowser();
  const ranged: number[] = [], full: number[] = [];
  try {
    for (let run = 1; run <= RUNS; run++) {
      // Both sides in the same process run, alternating, so drift hits both alike.
      const r = await firstPageMs(browser, harness.pageUrl(path.basename(file)));
      const f = await firstPageMs(browser, harness.pageUrl(path.basename(file), { mode: 'full' }));
      ranged.push(r.ms);
      full.push(f.ms);
      const mb = (b: number) => `${(b / 1e6).toFixed(2)} MB`;
      console.log(`run ${run}: ranged ${r.ms.toFixed(0)} ms (${mb(r.bytes)} of completed responses by then), full ${f.ms.toFixed(0)} ms (${mb(f.bytes)})`);
    }
  } finally {
    await browser.close();
    await harness.close();
  }
  const first_page_ms_ranged = Math.round(median(ranged));
  const first_page_ms_full = Math.round(median(full));

  const flat = await manyPagesInMeeting(RUNS);
  const balanced = await manyPagesInMeeting(RUNS, { ...MANY_PAGES, tree: 'balanced' });
  const slowest = (runs: ViewerTimes[]) => Math.round(median(runs.map((r) => Math.max(r.presenter, ...r.members))));
  const side = (runs: ViewerTimes[], who: 'presenter' | 'members') => Math.round(median(runs.flatMap((r) => (who === 'presenter' ? [r.presenter] : r.members))));
  for (const [tree, r] of [['flat', flat], ['balanced', balanced]] as const) {
    console.log(`${tree} tree: first page presenter ${side(r.first, 'presenter')} ms, members ${side(r.first, 'members')} ms, slowest ${slowest(r.first)} ms; ` +
      `page 3000 presenter ${side(r.jump, 'presenter')} ms, members ${side(r.jump, 'members')} ms, slowest ${slowest(r.jump)} ms`);
  }
  writeResult('pdf-first-page', {
    first_page_ms_ranged,
    first_page_ms_full,
    speedup: Math.round((first_page_ms_full / first_page_ms_ranged) * 100) / 100,
    many_pages_first_page_ms: slowest(flat.first),
    many_pages_jump_ms: slowest(flat.jump),
  });
}
