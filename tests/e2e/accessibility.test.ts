import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionWithOneDossier, type ExaminedDossier } from '../support/agenda';
import { axeFindings } from '../support/axe';
import { launchBrowser } from '../support/browser';
import { ApiClient } from '../support/http';
import { memberInRoom, type MeetingPage } from '../support/meeting';
import { startTestServer, type TestServer } from '../support/server';

let t: TestServer;
let browser: Browser;
let sessionId: number;
let dossier: ExaminedDossier;
let itemId: number;
const contexts: BrowserContext[] = [];
const LOCALES = ['ar', 'fr'] as const;

/** A desktop page in `locale`, logged in as `email` (or nobody). */
async function pageAs(email: string | null, locale: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  contexts.push(context);
  if (email) {
    const api = await ApiClient.loggedIn(t.url, email);
    await context.addCookies([...api.cookies].map(([name, value]) => ({ name, value, url: t.url })));
  }
  await context.addInitScript((l) => localStorage.setItem('lajna.locale', l), locale);
  return context.newPage();
}

/** Opens `path`, waits for `ready`, and expects axe to find nothing serious or critical. */
async function clean(page: Page, path: string, ready: string): Promise<void> {
  await page.goto(`${t.url}${path}`);
  await page.waitForSelector(ready);
  expect({ path, findings: await axeFindings(page) }).toEqual({ path, findings: [] });
}

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  ({ sessionId, dossier, itemId } = await sessionWithOneDossier(t.url));
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await t?.close();
});

describe.each(LOCALES)('axe-core finds no serious or critical violation, in %s', (locale) => {
  it('on the public pages: home, login, verify', async () => {
    const page = await pageAs(null, locale);
    await clean(page, '/', 'h1');
    await clean(page, '/login', 'input[name=email]');
    await clean(page, '/verify', 'h1');
  }, 60_000);

  it('on the applicant\'s portal and dossier, the office and its dossier, the meeting list and the minutes', async () => {
    const amina = await pageAs('amina@example.tn', locale);
    await clean(amina, '/portal', '[data-testid=welcome]');
    await clean(amina, `/portal/dossiers/${dossier.dossierId}`, 'h1');
    const secretary = await pageAs('secretary@ain-draham.tn', locale);
    await clean(secretary, '/office', 'h1');
    await clean(secretary, `/office/dossiers/${dossier.dossierId}`, 'h1');
    await clean(secretary, '/meeting', 'h1');
    await clean(secretary, `/minutes/${sessionId}`, '[data-testid=minutes]');
  }, 120_000);

  it('in the meeting room: the pre-join screen and every pane, the document shown and full screen', async () => {
    const chair = await memberInRoom(browser, t.url, 'chair@ain-draham.tn', sessionId, { locale, device: { viewport: { width: 1280, height: 800 } } });
    contexts.push(chair.context);
    const page = chair.page;
    if (await page.locator('[data-testid=open-session]').count()) await page.click('[data-testid=open-session]');
    await page.waitForSelector('[data-testid=waiting-room]', { state: 'detached' });
    await page.click('[data-testid=tab-document]');
    if (await page.locator(`[data-testid=open-item-${itemId}]`).count()) await page.click(`[data-testid=open-item-${itemId}]`);
    await page.click(`[data-testid=document-${dossier.documents[0]!.versionId}]`);
    await page.waitForSelector('[data-testid=pdf-viewer][data-rendered-page="1"]', { timeout: 30_000 });
    const secretary: MeetingPage = await memberInRoom(browser, t.url, 'secretary@ain-draham.tn', sessionId, { locale });
    contexts.push(secretary.context);
    await page.click('[data-testid=tab-chat]');
    await page.fill('[data-testid=chat-input]', locale === 'ar' ? 'مرحبا' : 'Bonjour');
    await page.click('[data-testid=chat-send]');
    for (const [m, pane] of [[chair, 'video'], [chair, 'people'], [chair, 'document'], [chair, 'vote'], [chair, 'chat'], [secretary, 'minutes'], [secretary, 'document']] as const) {
      await m.page.click(`[data-testid=tab-${pane}]`);
      await m.page.waitForSelector(`[data-testid=pane-${pane}][data-active=true]`);
      expect({ pane, findings: await axeFindings(m.page) }).toEqual({ pane, findings: [] });
    }
    await page.click('[data-testid=tab-document]');
    await page.click('[data-testid=toggle-document-full]');
    await page.waitForSelector('[data-testid=video-strip]');
    expect({ pane: 'document full screen', findings: await axeFindings(page) }).toEqual({ pane: 'document full screen', findings: [] });
    await page.keyboard.press('Escape');
    const prejoin = await pageAs('architect@ain-draham.tn', locale);
    await prejoin.context().grantPermissions(['camera', 'microphone']);
    await clean(prejoin, `/meeting/${sessionId}`, '[data-testid=join]');
    // Without a camera the preview says so, on its dark tile.
    await prejoin.selectOption('[data-testid=camera-select]', 'none');
    await prejoin.waitForSelector('.tile.preview .muted');
    expect({ path: 'pre-join without camera', findings: await axeFindings(prejoin) }).toEqual({ path: 'pre-join without camera', findings: [] });
  }, 180_000);
});
