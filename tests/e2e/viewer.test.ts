import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeManyPagesPdf } from '../support/fixtures/manyPagesPdf';
import { writePlanPdf } from '../support/fixtures/planPdf';
import { inkOf, launchBrowser } from '../support/browser';
import { startViewerHarness, type ViewerHarness } from '../support/viewerHarness';

// A small plan set: 9 A3 sheets of vector drawings; sheet 5 alone names the retention basin.
const PAGES = 9;
// A bound report of 4,000 pages; page 3,000 alone holds the marker word.
const MANY = 4000;
let dir: string;
let harness: ViewerHarness;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const cspViolations: string[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lajna-viewer-'));
  writePlanPdf(path.join(dir, 'plans.pdf'), {
    pages: PAGES,
    paths: 500,
    segments: 50,
    seed: 7,
    width: 842,
    height: 1191,
    title: (n) => (n === 5 ? 'Retention basin detail' : `Ground floor plan ${n}`),
  });
  writeManyPagesPdf(path.join(dir, 'report.pdf'), { pages: MANY, bytes: 6_000_000, marked: [3000] });
  [harness, browser] = await Promise.all([startViewerHarness(dir), launchBrowser()]);
  // HiDPI: two device pixels per CSS pixel.
  context = await browser.newContext({ viewport: { width: 1000, height: 800 }, deviceScaleFactor: 2 });
  page = await context.newPage();
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) cspViolations.push(m.text());
  });
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await harness?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const viewer = '[data-testid=pdf-viewer]';
const rendered = (attr: string) => page.getAttribute(viewer, attr);
const canvasSize = (selector = '[data-testid=pdf-canvas]') => page.$eval(selector, (c) => ({ width: (c as HTMLCanvasElement).width, height: (c as HTMLCanvasElement).height }));
const view = () => page.evaluate(() => window.lajnaViewer.view());

describe('dossier PDF viewer in Chromium (harness page, app CSP)', () => {
  it('opens on page 7 with range requests and draws it sharp for the screen', async () => {
    // pdf.js fetches from its worker: the context sees those requests, the page does not.
    const ranges: string[] = [];
    let fileRequests = 0;
    const onRequest = (r: { url(): string; headers(): Record<string, string> }) => {
      if (r.url().includes('/viewer-fixtures/plans.pdf')) fileRequests++;
      if (r.headers().range) ranges.push(r.headers().range!);
    };
    context.on('request', onRequest);
    // On a real link (here 8 Mbit/s), as on loopback: page 7 is fetched by range.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: 1_000_000, uploadThroughput: 1_000_000 });
    const response = await page.goto(harness.pageUrl('plans.pdf', { page: '7' }));
    expect(response!.headers()['content-security-policy']).toContain("script-src 'self'");
    await expect.poll(() => rendered('data-rendered-page'), { timeout: 30_000 }).toBe('7');
    expect(await page.getAttribute('[data-testid=page-label]', 'data-page')).toBe('7');
    expect(await page.textContent('[data-testid=page-label]')).toContain(`7 / ${PAGES}`);
    expect(await page.getAttribute('[data-testid=pdf-canvas]', 'data-page')).toBe('7');
    expect(await inkOf(page, '[data-testid=pdf-canvas]')).toBeGreaterThan(0.01);
    // Fit width at devicePixelRatio 2: twice as many canvas pixels as CSS pixels.
    const sheetWidth = await page.$eval('.pdf-sheet', (e) => e.getBoundingClientRect().width);
    expect(Math.abs((await canvasSize()).width - 2 * sheetWidth)).toBeLessThanOrEqual(2);
    // The file's end first (its cross-reference table, for the page-tree index), then pages by range.
    expect(ranges[0]).toMatch(/^bytes=-\d+$/);
    expect(ranges.slice(1).some((r) => /^bytes=\d+-\d+$/.test(r))).toBe(true);
    // A file of few pages (no index) too is read by our ranges alone, never by a whole-file GET of pdf.js's own loader.
    expect(ranges.length).toBe(fileRequests);
    context.off('request', onRequest);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await cdp.detach();
  });

  it("on a fair line's pace, reads a file without index in requests of 8 kB at most, two at a time, and draws the page asked for; pdf.js's worker comes the same way", async () => {
    const weak = await browser.newContext({ viewport: { width: 1000, height: 800 } });
    try {
      const p = await weak.newPage();
      const workerAsked: string[] = [];
      weak.on('request', (r) => void (r.url().includes('pdf.worker') && workerAsked.push(`${r.url().replace(/.*\/assets\/pdf\.worker[^.]*\.min-\w+/, '')} ${r.headers().range}`)));
      const sizes: number[] = [];
      let inFlight = 0, maxInFlight = 0;
      const done = (r: { url(): string }) => void (r.url().includes('/viewer-fixtures/plans.pdf') && inFlight--);
      weak.on('request', (r) => {
        if (!r.url().includes('/viewer-fixtures/plans.pdf')) return;
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        const m = /^bytes=(\d+)-(\d+)$|^bytes=-(\d+)$/.exec(r.headers().range ?? '');
        sizes.push(!m ? Infinity : m[3] ? Number(m[3]) : Number(m[2]) - Number(m[1]) + 1);
      });
      weak.on('requestfinished', done).on('requestfailed', done);
      await p.goto(harness.pageUrl('plans.pdf', { page: '4', mode: 'weak' }));
      await expect.poll(() => p.getAttribute(viewer, 'data-rendered-page'), { timeout: 30_000 }).toBe('4');
      expect(sizes.length).toBeGreaterThan(2);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(8192);
      expect(maxInFlight).toBeLessThanOrEqual(2);
      // The worker's gzip copy, read by 8 kB ranges (370 kB: some 45 of them); never the script itself.
      expect(workerAsked.length).toBeGreaterThan(40);
      for (const asked of workerAsked) expect(asked).toMatch(/^\.mjs\.gz bytes=(-4096|\d+-\d+)$/);
      const ranges = workerAsked.map((a) => /(\d+)-(\d+)$/.exec(a)).filter((m) => m !== null);
      expect(Math.max(...ranges.map((m) => Number(m[2]) - Number(m[1]) + 1))).toBeLessThanOrEqual(8192);
    } finally {
      await weak.close();
    }
  });

  it("keeps a 'next' clicked while the file still opens, when the page count is known beforehand (the server's)", async () => {
    const slow = await browser.newContext({ viewport: { width: 1000, height: 800 } });
    try {
      const p = await slow.newPage();
      await p.goto(harness.pageUrl('plans.pdf', { mode: 'weak', pages: String(PAGES) }));
      await p.waitForSelector('[data-testid=page-next]');
      // The file's ranges from now on cross a slow line: the document is still opening at the click.
      const cdp = await slow.newCDPSession(p);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 400, downloadThroughput: 40_000, uploadThroughput: 40_000 });
      // Nothing drawn yet before and after the click: the file is still opening.
      expect(await p.$('[data-testid=pdf-canvas]')).toBeNull();
      await p.click('[data-testid=page-next]');
      expect(await p.$('[data-testid=pdf-canvas]')).toBeNull();
      await expect.poll(() => p.getAttribute(viewer, 'data-rendered-page'), { timeout: 60_000 }).toBe('2');
      expect(await p.getAttribute('[data-testid=page-label]', 'data-page')).toBe('2');
    } finally {
      await slow.close();
    }
  });

  it('zooms, re-renders at the new scale, scrolls in normalised coordinates and draws the detail when zoomed far in', async () => {
    const before = Number(await rendered('data-rendered-scale'));
    const widthBefore = (await canvasSize()).width;
    await page.click('[data-testid=zoom-in]');
    await expect.poll(async () => Number(await rendered('data-rendered-scale'))).toBeGreaterThan(before);
    expect((await canvasSize()).width).toBeGreaterThan(widthBefore);
    expect((await view()).zoom.mode).toBe('scale');

    // A scroll set from outside (a presenter's) is applied; the user's scroll goes out normalised.
    await page.evaluate(() => window.lajnaViewer.setView({ scroll: { x: 0.5, y: 0.6 } }));
    await expect.poll(() => page.$eval('[data-testid=pdf-scroller]', (s) => s.scrollTop)).toBeGreaterThan(0);
    await page.$eval('[data-testid=pdf-scroller]', (s) => s.scrollTo({ top: 0 }));
    await expect.poll(async () => (await view()).scroll.y).toBeLessThan(0.6);

    // 400 % of an A3 sheet at dpr 2 is far beyond the canvas cap: a coarser base plus a sharp detail.
    await page.selectOption('[data-testid=zoom-select]', '4');
    await expect.poll(() => rendered('data-rendered-scale')).toBe('4.0000');
    await page.waitForSelector('[data-testid=pdf-detail-canvas]');
    const base = await canvasSize();
    expect(base.width * base.height).toBeLessThanOrEqual(4096 * 4096);
    const detail = await canvasSize('[data-testid=pdf-detail-canvas]');
    expect(detail.width * detail.height).toBeLessThanOrEqual(4096 * 4096);

    await page.selectOption('[data-testid=zoom-select]', 'fit-page');
    await expect.poll(() => page.$$('[data-testid=pdf-detail-canvas]').then((d) => d.length)).toBe(0);
    const sheet = await page.$eval('.pdf-sheet', (e) => e.getBoundingClientRect());
    const scroller = await page.$eval('[data-testid=pdf-scroller]', (e) => e.getBoundingClientRect());
    expect(sheet.height).toBeLessThanOrEqual(scroller.height);
  });

  it('rotates the page a quarter turn', async () => {
    const { width, height } = await canvasSize();
    expect(height).toBeGreaterThan(width);
    await page.click('[data-testid=rotate]');
    await expect.poll(() => rendered('data-rendered-rotation')).toBe('90');
    const rotated = await canvasSize();
    expect(rotated.width).toBeGreaterThan(rotated.height);
    expect(await inkOf(page, '[data-testid=pdf-canvas]')).toBeGreaterThan(0.01);
    expect((await view()).rotation).toBe(90);
    await page.evaluate(() => window.lajnaViewer.setView({ rotation: 0 }));
    await expect.poll(() => rendered('data-rendered-rotation')).toBe('0');
  });

  it('finds text on another page and goes there with the match highlighted', async () => {
    await page.fill('[data-testid=search-input]', 'retention basin');
    await page.press('[data-testid=search-input]', 'Enter');
    await expect.poll(() => rendered('data-rendered-page')).toBe('5');
    expect(await page.getAttribute('[data-testid=search-count]', 'data-total')).toBe('1');
    expect(await page.getAttribute('[data-testid=page-label]', 'data-page')).toBe('5');
    const box = await page.$eval('[data-testid=search-highlight]', (e) => e.getBoundingClientRect());
    expect(box.width).toBeGreaterThan(0);

    await page.fill('[data-testid=search-input]', 'no such words');
    await page.press('[data-testid=search-input]', 'Enter');
    await expect.poll(() => page.getAttribute('[data-testid=search-count]', 'data-total')).toBe('0');
    expect((await view()).page).toBe(5);
  });

  it('lists thumbnails, draws them, and goes to the one clicked', async () => {
    await page.click('[data-testid=toggle-thumbnails]');
    await page.waitForSelector(`[data-testid=thumbnail-${PAGES}]`, { state: 'attached' });
    await page.waitForSelector('[data-testid=thumbnail-1] canvas[data-rendered]');
    expect(await inkOf(page, '[data-testid=thumbnail-1] canvas')).toBeGreaterThan(0.01);
    await page.click('[data-testid=thumbnail-3]');
    await expect.poll(() => rendered('data-rendered-page')).toBe('3');
    expect(await page.getAttribute('[data-testid=thumbnail-3]', 'aria-current')).toBe('page');
    await page.click('[data-testid=toggle-thumbnails]');
  });

  it('cancels stale renders: rapid page changes end on the last page asked for', async () => {
    await page.evaluate(async (pages) => {
      for (let n = 1; n <= pages; n++) {
        window.lajnaViewer.setView({ page: n });
        await new Promise((r) => setTimeout(r, 15));
      }
      window.lajnaViewer.setView({ page: 2 });
    }, PAGES);
    await expect.poll(() => rendered('data-rendered-page')).toBe('2');
    // Whatever was still in flight never replaces the last page afterwards.
    await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
    expect(await rendered('data-rendered-page')).toBe('2');
    expect(await page.getAttribute('[data-testid=pdf-canvas]', 'data-page')).toBe('2');
    expect(await page.$$('[data-testid=pdf-canvas]').then((c) => c.length)).toBe(1);
    expect(await page.evaluate(() => window.lajnaViewer.rendered.at(-1)?.page)).toBe(2);
    // The next button steps from there.
    await page.click('[data-testid=page-next]');
    await expect.poll(() => rendered('data-rendered-page')).toBe('3');
  });

  it("shows the presenter's pointer where it is on the page", async () => {
    await page.evaluate(() => window.lajnaViewer.setPointer({ x: 0.25, y: 0.5 }));
    const sheet = await page.$eval('.pdf-sheet', (e) => e.getBoundingClientRect());
    const dot = await page.$eval('[data-testid=presenter-pointer]', (e) => e.getBoundingClientRect());
    expect(Math.abs(dot.x + dot.width / 2 - (sheet.x + sheet.width * 0.25))).toBeLessThanOrEqual(2);
    expect(Math.abs(dot.y + dot.height / 2 - (sheet.y + sheet.height * 0.5))).toBeLessThanOrEqual(2);
    await page.evaluate(() => window.lajnaViewer.setPointer(null));
    expect(await page.$$('[data-testid=presenter-pointer]').then((d) => d.length)).toBe(0);
  });

  it("moved to another document, does not report the last one's page as drawn before its own is", async () => {
    expect(await rendered('data-rendered-page')).toBe('3');
    const shownAfterSwitch = await page.evaluate((v) => {
      const url = window.lajnaViewer.view().url.replace('plans.pdf', 'report.pdf');
      window.lajnaViewer.setView({ url, page: 1 });
      return document.querySelector<HTMLElement>(v)!.dataset.renderedPage ?? null;
    }, viewer);
    expect(shownAfterSwitch).toBeNull();
    await expect.poll(() => rendered('data-rendered-page'), { timeout: 30_000 }).toBe('1');
    expect(await page.textContent('[data-testid=page-label]')).toContain(`1 / ${MANY}`);
  });

  it('ran under the app CSP without violations', () => {
    expect(cspViolations).toEqual([]);
  });
});

describe('a 4,000-page file in the viewer: nothing built or read per page up front', () => {
  let report: Page;
  let bytesRead = 0;
  beforeAll(async () => {
    report = await context.newPage();
    report.on('requestfinished', (r) => {
      if (r.url().includes('report.pdf')) void r.sizes().then((s) => (bytesRead += s.responseBodySize), () => {});
    });
    await report.goto(harness.pageUrl('report.pdf'));
    await report.waitForSelector(`${viewer}[data-rendered-page="1"]`, { timeout: 60_000 });
  });
  afterAll(() => report?.close());

  const shown = (attr = 'data-rendered-page') => report.getAttribute(viewer, attr);
  const thumbs = () => report.$$eval('[data-testid^=thumbnail-]', (els) => els.map((e) => Number(e.dataset.testid!.slice('thumbnail-'.length))));

  it('opens on page 1 with a page of DOM, reading a small part of the file (its page tree is flat: the index)', async () => {
    expect(await report.textContent('[data-testid=page-label]')).toContain(`1 / ${MANY}`);
    expect(await report.evaluate(() => document.getElementsByTagName('*').length)).toBeLessThan(200);
    expect(bytesRead).toBeGreaterThan(0);
    expect(bytesRead).toBeLessThan(fs.statSync(path.join(dir, 'report.pdf')).size / 5);
  });

  it('builds only the thumbnails in view, in a list as tall as all of them, and draws those it shows', async () => {
    await report.click('[data-testid=toggle-thumbnails]');
    await report.waitForSelector('[data-testid=thumbnail-1] canvas[data-rendered]');
    const built = await thumbs();
    expect(built[0]).toBe(1);
    expect(built.length).toBeLessThan(40);
    const list = await report.$eval('[data-testid=thumbnails]', (l) => ({ scroll: l.scrollHeight, slot: l.querySelector('li')!.getBoundingClientRect().height }));
    expect(Math.abs(list.scroll - MANY * list.slot)).toBeLessThan(list.slot);
    expect(await report.evaluate(() => document.getElementsByTagName('*').length)).toBeLessThan(600);

    // To the end of the list: the last pages exist and draw, the first ones are gone.
    await report.$eval('[data-testid=thumbnails]', (l) => l.scrollTo({ top: l.scrollHeight }));
    await report.waitForSelector(`[data-testid=thumbnail-${MANY}] canvas[data-rendered]`);
    const atEnd = await thumbs();
    expect(atEnd).not.toContain(1);
    expect(atEnd.length).toBeLessThan(40);
    await report.click(`[data-testid=thumbnail-${MANY}]`);
    await expect.poll(() => shown()).toBe(String(MANY));
    expect(await report.getAttribute(`[data-testid=thumbnail-${MANY}]`, 'aria-current')).toBe('page');
  });

  it('jumps to page 3,000 by its number, the thumbnails following', async () => {
    await report.fill('[data-testid=page-input]', '3000');
    await report.press('[data-testid=page-input]', 'Enter');
    await expect.poll(() => shown()).toBe('3000');
    expect(await inkOf(report, '[data-testid=pdf-canvas]')).toBeGreaterThan(0.005);
    await report.waitForSelector('[data-testid=thumbnail-3000][aria-current=page]');
    await report.click('[data-testid=toggle-thumbnails]');
  });

  it('finds a word on page 3,000 searching from page 1: goes there as soon as found, then counts to the end', async () => {
    await report.evaluate(() => window.lajnaViewer.setView({ page: 1 }));
    await expect.poll(() => shown()).toBe('1');
    await report.fill('[data-testid=search-input]', 'lajna-marker-3000');
    await report.press('[data-testid=search-input]', 'Enter');
    await expect.poll(() => shown(), { timeout: 60_000 }).toBe('3000');
    await report.waitForSelector('[data-testid=search-highlight]');
    await expect.poll(() => report.getAttribute('[data-testid=search-count]', 'data-done'), { timeout: 120_000 }).toBe('true');
    expect(await report.getAttribute('[data-testid=search-count]', 'data-total')).toBe('1');
  });
});
