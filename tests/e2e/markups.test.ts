import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgendaItem } from '../../db/models';
import type { PagePoint } from '../../protocol/markups';
import { agendaOfDossiers, type ExaminedDossier } from '../support/agenda';
import { axeFindings } from '../support/axe';
import { launchBrowser } from '../support/browser';
import { KNOWN_DIMENSION, POINTS_PER_METRE_1_100, scaledPlanPdf } from '../support/fixtures/scaledPlanPdf';
import { createRemoteSession, memberInRoom, type MeetingPage } from '../support/meeting';
import { startTestServer, type TestServer } from '../support/server';

let t: TestServer;
let browser: Browser;
let sessionId: number;
let dossier: ExaminedDossier;
const open: MeetingPage[] = [];
/** Where screenshots go when MARKUP_SCREENSHOTS names a folder (looked at by hand, not asserted). */
const SHOTS = process.env.MARKUP_SCREENSHOTS;

async function member(email: string, locale: 'ar' | 'fr', viewport: { width: number; height: number }): Promise<Page> {
  const m = await memberInRoom(browser, t.url, email, sessionId, { locale, device: { viewport } });
  open.push(m);
  await m.page.click('[data-testid=tab-document]');
  return m.page;
}

/** The client coordinates of a page point, from the overlay's geometry (rotation 0: what these tests use). */
async function clientPoint(page: Page, [x, y]: PagePoint): Promise<{ x: number; y: number }> {
  const layer = page.locator('[data-testid=markup-layer]');
  const [x0, , , y1] = (await layer.getAttribute('data-box'))!.split(' ').map(Number);
  const k = Number(await layer.getAttribute('data-px-per-pt'));
  const r = (await layer.boundingBox())!;
  return { x: r.x + (x - x0!) * k, y: r.y + (y1! - y) * k };
}

/** Drags from one page point to another with the mouse, in steps (the stroke streams as it goes). */
async function drag(page: Page, from: PagePoint, to: PagePoint): Promise<void> {
  const a = await clientPoint(page, from), b = await clientPoint(page, to);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 8 });
  await page.mouse.up();
}

/** The markup's shape's bounding box in page coordinates [x0, y0, x1, y1], as this screen draws it. */
async function pageBox(page: Page, kind: string): Promise<number[]> {
  const layer = page.locator('[data-testid=markup-layer]');
  await layer.locator(`[data-testid=markup][data-kind=${kind}] .shape`).waitFor();
  const [bx0, , , by1] = (await layer.getAttribute('data-box'))!.split(' ').map(Number);
  const k = Number(await layer.getAttribute('data-px-per-pt'));
  const b = await layer.locator(`[data-testid=markup][data-kind=${kind}] .shape`).evaluate((el) => {
    const r = (el as SVGGraphicsElement).getBBox();
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  });
  return [bx0! + b.x / k, by1! - (b.y + b.height) / k, bx0! + (b.x + b.width) / k, by1! - b.y / k];
}

/** The number a measurement label shows, whatever the language writes as the decimal separator. */
const shownValue = async (page: Page) =>
  Number((await page.locator('[data-testid=markup][data-kind=distance] [data-testid=markup-measurement]').first().textContent())!.replace(/[^\d,.]/g, '').replace(',', '.'));

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  sessionId = await createRemoteSession();
  // A 1:100 site plan with a 10.00 m dimension and no declared scale, cropped 20 pt in (page coordinates do not start at 0).
  [dossier] = await agendaOfDossiers(t.url, sessionId, [{ architect_plans: await scaledPlanPdf({ declareScale: false, cropInset: 20 }) }]);
}, 120_000);

afterAll(async () => {
  for (const m of open) await m.context.close().catch(() => undefined);
  await browser?.close();
  await t?.close();
});

describe('markups and measurements on the shared page, in Chromium', () => {
  it('calibrates on the known dimension, measures 5.00 m, draws a cloud and an arrow that followers see at the same place', async () => {
    // The presenter's screen is tall enough for the whole plan at "fit page": every point drawn is on screen.
    const chair = await member('chair@ain-draham.tn', 'fr', { width: 1280, height: 1500 });
    await chair.click('[data-testid=open-session]');
    await chair.waitForSelector('[data-testid=waiting-room]', { state: 'detached' });
    const phone = await member('architect@ain-draham.tn', 'ar', { width: 390, height: 844 });
    const laptop = await member('engineer@ain-draham.tn', 'fr', { width: 1024, height: 700 });
    const itemId = (await AgendaItem.findOne({ where: { sessionId, dossierId: dossier.dossierId } }))!.id;
    const plan = dossier.documents[4]!;
    await chair.click(`[data-testid=open-item-${itemId}]`);
    await chair.click(`[data-testid=document-${plan.versionId}]`);
    for (const p of [chair, phone, laptop]) await p.waitForSelector('[data-testid=markup-layer]');
    await chair.selectOption('[data-testid=zoom-select]', 'fit-page');
    for (const p of [phone, laptop]) await expect.poll(() => p.inputValue('[data-testid=zoom-select]')).toBe('fit-page');
    // Followers have no tools: only the presenter (and whom the chair lets draw) draws.
    expect(await phone.$('[data-testid=markup-tool-pen]')).toBeNull();
    await expect.poll(() => phone.getAttribute('[data-testid=markup-scale]', 'data-source')).toBe('none');

    // Calibration along the 10.00 m dimension.
    await chair.click('[data-testid=markup-tool-calibrate]');
    await drag(chair, KNOWN_DIMENSION.from, KNOWN_DIMENSION.to);
    await chair.fill('[data-testid=calibrate-metres]', '10');
    await chair.click('[data-testid=markup-save]');
    for (const p of [chair, phone, laptop]) await expect.poll(() => p.getAttribute('[data-testid=markup-scale]', 'data-source')).toBe('calibration');
    expect(await laptop.textContent('[data-testid=markup-scale]')).toMatch(/1:100, étalonnée par/);
    expect(await phone.textContent('[data-testid=markup-scale]')).toMatch(/1:100/);

    // A 5.00 m segment, measured on the followers' screens.
    await chair.click('[data-testid=markup-tool-distance]');
    const from: PagePoint = [200, 500];
    await drag(chair, from, [from[0] + 5 * POINTS_PER_METRE_1_100, from[1]]);
    for (const p of [phone, laptop]) {
      await expect.poll(() => p.locator('[data-testid=markup][data-kind=distance] [data-testid=markup-measurement]').count(), { timeout: 10_000 }).toBe(1);
      expect(Math.abs((await shownValue(p)) - 5)).toBeLessThanOrEqual(0.05);
    }
    expect(await laptop.textContent('[data-testid=markup][data-kind=distance] [data-testid=markup-measurement]')).toMatch(/^\d+,\d\d\s?m$/);
    expect(await phone.textContent('[data-testid=markup][data-kind=distance] [data-testid=markup-measurement]')).toMatch(/م$/);

    // A cloud and an arrow.
    await chair.click('[data-testid=markup-tool-cloud]');
    await drag(chair, [600, 300], [800, 450]);
    await chair.click('[data-testid=markup-colour-blue]');
    await chair.click('[data-testid=markup-tool-arrow]');
    await drag(chair, [900, 200], [700, 320]);
    for (const kind of ['cloud', 'arrow']) {
      const [a, b, c] = [await pageBox(chair, kind), await pageBox(phone, kind), await pageBox(laptop, kind)];
      for (let i = 0; i < 4; i++) {
        expect(Math.abs(b[i]! - a[i]!)).toBeLessThan(2);
        expect(Math.abs(c[i]! - a[i]!)).toBeLessThan(2);
      }
    }
    const cloud = await pageBox(laptop, 'cloud');
    // The cloud's scallops bulge out of the dragged rectangle by at most their radius (9 pt).
    expect(cloud[0]).toBeGreaterThan(600 - 10);
    expect(cloud[0]).toBeLessThan(600);
    expect(cloud[3]).toBeGreaterThan(450);
    expect(cloud[3]).toBeLessThan(450 + 10);
    expect(await laptop.locator('[data-testid=markup]').evaluateAll((els) => els.map((e) => e.getAttribute('data-number')))).toEqual(['1', '2', '3']);

    // Undo takes back the arrow for everyone.
    await chair.click('[data-testid=markup-undo]');
    await expect.poll(() => phone.locator('[data-testid=markup][data-kind=arrow]').count()).toBe(0);

    await chair.click('[data-testid=markup-tool-none]');
    await chair.click('.markup-list summary');
    expect({ findings: await axeFindings(chair) }).toEqual({ findings: [] });
    expect({ findings: await axeFindings(phone) }).toEqual({ findings: [] });
    if (SHOTS) {
      await chair.screenshot({ path: `${SHOTS}/markups-fr-desktop.png` });
      await phone.screenshot({ path: `${SHOTS}/markups-ar-phone.png` });
      await laptop.screenshot({ path: `${SHOTS}/markups-fr-laptop.png` });
    }
  }, 180_000);
});
