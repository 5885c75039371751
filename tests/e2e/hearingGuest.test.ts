import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExaminedDossier } from '../support/agenda';
import { axeFindings } from '../support/axe';
import { inkOf, launchBrowser } from '../support/browser';
import { cachedPlanPdf } from '../support/fixtures/planPdf';
import { invite, liveSessionWithDossiers } from '../support/hearings';
import { ApiClient } from '../support/http';
import { inbound, memberInRoom, type MeetingPage } from '../support/meeting';
import { meetingData, meetingRequest, nextEvent, type MeetingClient } from '../support/meetingSocket';
import { startTestServer, type TestServer } from '../support/server';

const SHOTS = path.resolve('.tmp/screenshots');
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let t: TestServer;
let browser: Browser;
let sessionId: number;
let dossiers: ExaminedDossier[];
let items: number[];
let secretary: ApiClient;
let chairSocket: MeetingClient;
const members: MeetingPage[] = [];
const contexts: BrowserContext[] = [];

/** The guest's browser (camera and microphone allowed) on the link of their email, the page in `locale`. */
async function guestPage(token: string, locale: 'ar' | 'fr'): Promise<Page> {
  const context = await browser.newContext({ viewport: DESKTOP, permissions: ['camera', 'microphone'] });
  contexts.push(context);
  await context.addInitScript((l) => localStorage.setItem('lajna.locale', l), locale);
  const page = await context.newPage();
  await page.goto(`${t.url}/hearing#${token}`);
  return page;
}

/** The page's screenshot in `locale` (switched with the language menu) and axe's findings there: none serious or critical. */
async function shotAndAxe(page: Page, name: string, locale: 'ar' | 'fr'): Promise<void> {
  await page.selectOption('[data-testid=language]', locale);
  await expect.poll(() => page.evaluate(() => document.documentElement.dir)).toBe(locale === 'ar' ? 'rtl' : 'ltr');
  await page.screenshot({ path: path.join(SHOTS, `hearing-guest-${name}-${locale}.png`) });
  expect({ name, locale, findings: await axeFindings(page) }).toEqual({ name, locale, findings: [] });
}

async function bothLocales(page: Page, name: string): Promise<void> {
  await shotAndAxe(page, name, 'ar');
  await shotAndAxe(page, name, 'fr');
}

beforeAll(async () => {
  // The default listen address (0.0.0.0), as `npm start` runs: browsers must get reachable ICE candidates.
  [t, browser] = await Promise.all([startTestServer((c) => void (c.mediasoup.listenIp = '0.0.0.0')), launchBrowser()]);
  const plans = cachedPlanPdf({ pages: 2, paths: 300, segments: 40, seed: 21, width: 842, height: 1191 });
  ({ sessionId, dossiers, items, chairSocket } = await liveSessionWithDossiers(t.url, 2, [{}, { architect_plans: plans }]));
  secretary = await ApiClient.loggedIn(t.url, 'secretary@ain-draham.tn');
  fs.mkdirSync(SHOTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  chairSocket?.disconnect();
  for (const c of [...contexts, ...members.map((m) => m.context)]) await c.close().catch(() => undefined);
  await browser?.close();
  await t?.close();
});

describe("the invited guest's hearing page, in Chromium", () => {
  it('a used link and a withdrawn one say so, in French', async () => {
    const withdrawn = await invite(secretary, { sessionId, agendaItemId: items[0]!, dossierId: dossiers[0]!.dossierId, name: 'Amina Ben Salah', email: 'amina@example.tn' });
    expect((await secretary.post(`/api/hearings/${withdrawn.invitation.id}/revoke`)).status).toBe(200);
    const page = await guestPage(withdrawn.token, 'fr');
    await page.waitForSelector('[data-testid=hearing-refused][data-code=hearing_link_revoked]');
    expect(await page.textContent('[data-testid=hearing-refused]')).toContain('retirée');
    expect(new URL(page.url()).hash).toBe('');

    const used = await invite(secretary, { sessionId, agendaItemId: items[0]!, dossierId: dossiers[0]!.dossierId, name: 'Amina Ben Salah', email: 'amina@example.tn' });
    expect((await new ApiClient(t.url).post('/api/hearings/redeem', { token: used.token })).status).toBe(200);
    const second = await guestPage(used.token, 'fr');
    await second.waitForSelector('[data-testid=hearing-refused][data-code=hearing_link_used]');
    expect(await second.textContent('[data-testid=hearing-refused]')).toContain('déjà été utilisé');
  }, 30_000);

  it('waits, is admitted, sees their dossier’s page, is heard by the four members, sees no vote, and is thanked once the chair ends the hearing; the vote then opens', async () => {
    members.push(...(await Promise.all(['chair', 'architect', 'engineer', 'urbanism']
      .map((who) => memberInRoom(browser, t.url, `${who}@ain-draham.tn`, sessionId, { device: { viewport: DESKTOP } })))));
    const chair = members[0]!.page;
    const { invitation, token } = await invite(secretary, { sessionId, agendaItemId: items[1]!, dossierId: dossiers[1]!.dossierId, name: 'Bureau Kacem', email: 'archi@example.tn' });

    const page = await guestPage(token, 'fr');
    await page.waitForSelector('[data-testid=join]:not([disabled])');
    expect(new URL(page.url()).hash).toBe(''); // the token leaves the address at once
    expect(await page.textContent('[data-testid=hearing-reference]')).toBe(dossiers[1]!.reference);
    await bothLocales(page, 'prejoin');

    await page.click('[data-testid=join]');
    await page.waitForSelector('[data-testid=hearing-page][data-phase=lobby]');
    await bothLocales(page, 'lobby');

    // The chair opens the guest's item, presents its plans from the room, and admits the guest there.
    await meetingData(chairSocket, 'openItem', { agendaItemId: items[1] });
    const plans = dossiers[1]!.documents.find((d) => d.itemCode === 'architect_plans')!;
    await chair.locator(`[data-testid=agenda-item-${items[1]}][data-current=true]`).waitFor({ state: 'attached' });
    await chair.click('[data-testid=tab-document]');
    const presented = nextEvent(chairSocket, 'presentation');
    await chair.click(`[data-testid=document-${plans.versionId}]`);
    expect((await presented).view?.versionId).toBe(plans.versionId);
    // The chair's page brings the document forward on that echo: the admission goes from the chair's socket (hearing.test clicks it).
    await meetingData(chairSocket, 'admitGuest', { invitationId: invitation.id });

    await page.waitForSelector('[data-testid=guest-room]');
    expect(await page.textContent('[data-testid=guest-document-name]')).toContain('Plans'); // the architect's plans, presented
    await page.waitForSelector('[data-testid=pdf-viewer][data-rendered-page="1"]', { timeout: 30_000 });
    await expect.poll(() => inkOf(page, '[data-testid=pdf-canvas]'), { timeout: 10_000 }).toBeGreaterThan(0.01);
    // Nothing of the meeting but their item: no vote, no agenda, no chat, no minutes.
    expect(await page.locator('[data-testid=tab-vote], [data-testid=pane-vote], [data-testid=vote-pane], .agenda, [data-testid=pane-chat], [data-testid=pane-minutes]').count()).toBe(0);

    // Each member receives the guest's voice: their audio element, and audio bytes growing.
    for (const m of members) {
      await m.page.waitForSelector(`audio[data-user="${-invitation.id}"]`, { state: 'attached', timeout: 20_000 });
      await expect.poll(async () => (await inbound(m.page)).filter((s) => s.kind === 'audio' && s.bytes > 0).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
    }
    const before = await Promise.all(members.map((m) => inbound(m.page)));
    await sleep(1500);
    for (const [i, m] of members.entries()) {
      const grew = (await inbound(m.page)).filter((s) => s.kind === 'audio' && s.bytes > (before[i]!.find((b) => b.ssrc === s.ssrc)?.bytes ?? Infinity));
      expect(grew.length, `member ${i} hears the guest`).toBeGreaterThanOrEqual(1);
    }
    expect(await meetingRequest(chairSocket, 'openVote', { agendaItemId: items[1], question: 'Avis ?' })).toMatchObject({ ok: false, error: { code: 'guest_present' } });

    await bothLocales(page, 'room');
    await page.setViewportSize(PHONE);
    await shotAndAxe(page, 'room-phone', 'ar');
    for (const control of ['toggle-mic', 'toggle-camera', 'leave']) {
      const box = (await page.locator(`[data-testid=${control}]`).boundingBox())!;
      expect(box.y + box.height, control).toBeLessThanOrEqual(PHONE.height);
    }
    await page.setViewportSize(DESKTOP);

    await chair.click('[data-testid=tab-people]');
    await chair.click(`[data-testid=end-hearing-${invitation.id}]`);
    await page.waitForSelector('[data-testid=hearing-end]');
    await bothLocales(page, 'end');

    const vote = await meetingRequest(chairSocket, 'openVote', { agendaItemId: items[1], question: 'Avis ?' });
    expect(vote.ok, JSON.stringify(vote)).toBe(true);
  }, 120_000);
});
