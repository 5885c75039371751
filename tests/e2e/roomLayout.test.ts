import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionWithOneDossier, type ExaminedDossier } from '../support/agenda';
import { launchBrowser } from '../support/browser';
import { memberInRoom, type MeetingPage } from '../support/meeting';
import { startTestServer, type TestServer } from '../support/server';

let t: TestServer;
let browser: Browser;
let sessionId: number;
let dossier: ExaminedDossier;
let itemId: number;
const open: MeetingPage[] = [];
/** Where the screenshots of the room go (looked at by a person; not compared). */
const SHOTS = path.resolve('.tmp/screenshots');

const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

async function member(email: string, device: BrowserContextOptions, media = false): Promise<MeetingPage> {
  const m = await memberInRoom(browser, t.url, email, sessionId, { device, media });
  open.push(m);
  return m;
}

type Box = { x: number; y: number; width: number; height: number };
const box = async (page: Page, selector: string): Promise<Box> => (await page.locator(selector).boundingBox())!;
const tileWidths = async (page: Page): Promise<Record<string, number>> =>
  Object.fromEntries(await page.$$eval('[data-testid=pane-video] .tile', (tiles) => tiles.map((el) => [el.getAttribute('data-testid')!, Math.round(el.getBoundingClientRect().width)] as const)));

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  ({ sessionId, dossier, itemId } = await sessionWithOneDossier(t.url));
  fs.mkdirSync(SHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  for (const m of open) await m.context.close().catch(() => undefined);
  await browser?.close();
  await t?.close();
});

describe('the layout of the meeting room, in Chromium, in Arabic', () => {
  let chair: MeetingPage;
  let architect: MeetingPage;
  let engineer: MeetingPage;

  it('on a desktop: the videos beside the participants (mirrored), grid then speaker view, a pinned tile large, keyboard hints, the document full screen with the videos as a strip', async () => {
    chair = await member('chair@ain-draham.tn', DESKTOP, true);
    architect = await member('architect@ain-draham.tn', PHONE);
    engineer = await member('engineer@ain-draham.tn', DESKTOP);
    const page = chair.page;
    await page.click('[data-testid=open-session]');
    await page.waitForSelector('[data-testid=waiting-room]', { state: 'detached' });
    await expect.poll(async () => Object.keys(await tileWidths(page)).length).toBe(3);

    // Right to left: the participants are on the left of the videos.
    expect((await box(page, '[data-testid=pane-people]')).x).toBeLessThan((await box(page, '[data-testid=pane-video]')).x);
    const grid = await tileWidths(page);
    const widths = Object.values(grid);
    expect(Math.max(...widths) - Math.min(...widths)).toBeLessThanOrEqual(2);
    expect(widths[0]).toBeGreaterThan(300); // three people: two columns as large as the stage allows, not 172 px

    // Speaker view: someone else large (nobody has spoken: the first other person), the rest in a row under it.
    await page.click('[data-testid=toggle-view]');
    await expect.poll(() => page.getAttribute('[data-testid=grid]', 'data-view')).toBe('speaker');
    const speaker = await tileWidths(page);
    const large = Object.entries(speaker).sort((a, b) => b[1] - a[1]);
    expect(large[0]![0]).not.toBe('tile-self');
    expect(large[0]![1]).toBeGreaterThan(2.5 * large[1]![1]);
    expect(large[0]![1]).toBeGreaterThan(grid['tile-self']!);

    // Pinning the other member makes theirs the large tile; unpinning gives the stage back.
    const other = large[0]![0] === `tile-${engineer.userId}` ? architect : engineer;
    await page.hover(`[data-testid=tile-${other.userId}]`);
    await page.click(`[data-testid=pin-${other.userId}]`);
    await expect.poll(async () => (await tileWidths(page))[`tile-${other.userId}`]).toBe(large[0]![1]);
    expect(await page.getAttribute(`[data-testid=pin-${other.userId}]`, 'aria-pressed')).toBe('true');
    expect((await tileWidths(page))[large[0]![0]]).toBe(large[1]![1]);
    await page.screenshot({ path: path.join(SHOTS, 'room-desktop-ar-speaker.png') });
    await page.click(`[data-testid=pin-${other.userId}]`);
    await page.click('[data-testid=toggle-view]');
    await expect.poll(() => page.getAttribute('[data-testid=grid]', 'data-view')).toBe('grid');

    // A keyboard is there: the hints show, and each control says its shortcut.
    expect(await page.locator('[data-testid=toggle-mic] .key-hint').isVisible()).toBe(true);
    expect(await page.getAttribute('[data-testid=toggle-mic]', 'aria-keyshortcuts')).toBe('M');

    // The chair shows a document; full screen gives it the window, the videos as a strip above, the controls below.
    await page.click('[data-testid=tab-document]');
    await page.click(`[data-testid=open-item-${itemId}]`);
    await page.click(`[data-testid=document-${dossier.documents[0]!.versionId}]`);
    await page.waitForSelector('[data-testid=pane-document] [data-testid=pdf-viewer][data-rendered-page="1"]', { timeout: 30_000 });
    const inPane = await box(page, '[data-testid=pane-document] .document-viewer');
    await page.click('[data-testid=toggle-document-full]');
    await page.waitForSelector('[data-testid=video-strip]');
    const full = await box(page, '[data-testid=pane-document]');
    const strip = await box(page, '[data-testid=video-strip]');
    const controls = await box(page, '[data-testid=controls]');
    expect(full.width).toBeGreaterThan(1250);
    expect(strip.y + strip.height).toBeLessThanOrEqual(full.y + 1);
    expect(full.y + full.height).toBeLessThanOrEqual(controls.y + 1);
    expect(controls.y + controls.height).toBeLessThanOrEqual(800);
    expect((await box(page, '[data-testid=pane-document] .document-viewer')).height).toBeGreaterThan(inPane.height);
    expect(await page.locator('[data-testid=video-strip] .tile').count()).toBe(3);
    await page.screenshot({ path: path.join(SHOTS, 'room-desktop-ar-document-full.png') });
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=video-strip]', { state: 'detached' });
    await page.screenshot({ path: path.join(SHOTS, 'room-desktop-ar-document.png') });
  }, 180_000);

  it('on a phone: each pane fills the screen with the controls in sight without scrolling, the document fills its pane, the speaker stays as an overlay, no keyboard hints', async () => {
    const page = architect.page;
    await page.waitForSelector('[data-testid=pane-document] [data-testid=pdf-viewer][data-rendered-page="1"]', { timeout: 30_000 });
    for (const pane of ['video', 'people', 'document', 'vote', 'chat']) {
      await page.click(`[data-testid=tab-${pane}]`);
      await page.waitForSelector(`[data-testid=pane-${pane}][data-active=true]`);
      const controls = await box(page, '[data-testid=controls]');
      expect(controls.y).toBeGreaterThan(0);
      expect(controls.y + controls.height).toBeLessThanOrEqual(844);
      expect(await page.evaluate(() => [window.scrollY, document.scrollingElement!.scrollHeight <= window.innerHeight])).toEqual([0, true]);
      const shown = await box(page, `[data-testid=pane-${pane}]`);
      expect(shown.y + shown.height).toBeLessThanOrEqual(controls.y + 1);
      expect(shown.height).toBeGreaterThan(500);
    }
    await page.click('[data-testid=tab-document]');
    await page.waitForSelector('[data-testid=speaker-overlay]');
    await page.screenshot({ path: path.join(SHOTS, 'room-phone-ar-document.png') });
    const pane = await box(page, '[data-testid=pane-document]');
    const viewer = await box(page, '[data-testid=pane-document] .document-viewer');
    expect(viewer.height).toBeGreaterThan(0.5 * pane.height);
    expect(viewer.y + viewer.height).toBeLessThanOrEqual(pane.y + pane.height + 1);
    expect(viewer.width).toBeGreaterThan(0.9 * pane.width);
    // The overlay leaves the item's heading clear, and the viewer's toolbar is one row.
    const overlay = await box(page, '[data-testid=speaker-overlay]');
    for (const selector of ['[data-testid=pane-document] .item h2', '[data-testid=pane-document] .agenda summary']) {
      const text = await box(page, selector);
      const apart = text.x + text.width <= overlay.x || overlay.x + overlay.width <= text.x || text.y + text.height <= overlay.y || overlay.y + overlay.height <= text.y;
      expect(apart, `${selector} ${JSON.stringify(text)} under the overlay ${JSON.stringify(overlay)}`).toBe(true);
    }
    const toolbar = await box(page, '[data-testid=pane-document] .pdf-toolbar');
    const button = await box(page, '[data-testid=pane-document] .pdf-toolbar button >> nth=0');
    expect(toolbar.height).toBeLessThan(2 * button.height);
    // The speaker (the chair, the one with a camera) stays in sight over the document; a tap goes back to the videos.
    expect(await page.locator('.key-hint').first().isVisible()).toBe(false);
    await page.click('[data-testid=tab-video]');
    await page.waitForSelector('[data-testid=speaker-overlay]', { state: 'detached' });
    await page.screenshot({ path: path.join(SHOTS, 'room-phone-ar-video.png') });
    await page.click('[data-testid=tab-chat]');
    await page.screenshot({ path: path.join(SHOTS, 'room-phone-ar-chat.png') });
  }, 120_000);
});
