import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Committee, CommitteeSession } from '../../db/models';
import { formatDateTime } from '../../protocol/municipalTime';
import { smallPdf } from '../support/agenda';
import { axeFindings } from '../support/axe';
import { launchBrowser, loginPage } from '../support/browser';
import { ApiClient } from '../support/http';
import { Mailbox } from '../support/mailbox';
import { clickJoin, createRemoteSession, openMeeting, type MeetingPage } from '../support/meeting';
import { startTestServer, type TestServer } from '../support/server';

/**
 * Issue 13's walk, once, end to end in Chromium, each person's browser in their own language:
 * the applicant (ar-TN) files a dossier, the secretary (fr-FR) checks it and convenes, two
 * members (ar-TN, en-GB) and the chair (fr-FR) wait at the pre-join screen and in the room, the
 * chair ends the session. Each of the issue's points 2, 3 and 6–11 is asserted here, on the page.
 */
let t: TestServer;
let browser: Browser;
let mailbox: Mailbox;
let dir: string;
const contexts: BrowserContext[] = [];
const SHOTS = process.env.LAJNA_SHOTS;

const ARABIC_ADDRESS = 'نهج الصنوبر 17، عين دراهم';
const ARABIC_FILE = 'مخطط الطابق.pdf';
const ITEMS = ['signed_request', 'property_certificate', 'tax_receipts', 'topographic_survey', 'architect_plans'];

/** `email` logged in on a first visit from a browser whose languages are `locale`'s: nothing chosen, the app follows them. */
async function firstVisit(email: string, locale: string, viewport = { width: 390, height: 844 }): Promise<Page> {
  const context = await browser.newContext({ locale, viewport, acceptDownloads: true });
  contexts.push(context);
  return loginPage(context, t.url, email, 'browser');
}

/** Where the letters of `part` are drawn inside the first element matching `selector` (left and right edges, CSS px). */
function extentOf(page: Page, selector: string, part: string): Promise<{ left: number; right: number }> {
  return page.$eval(selector, (el, p) => {
    const node = [...el.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.includes(p))!;
    const range = document.createRange();
    const at = node.textContent!.indexOf(p);
    range.setStart(node, at);
    range.setEnd(node, at + p.length);
    const r = range.getBoundingClientRect();
    return { left: r.left, right: r.right };
  }, part);
}

/** The Arabic file name is isolated in its own direction: ".pdf" ends it, on its left, whatever the page's direction. */
async function expectIsolatedArabicName(page: Page, selector: string): Promise<void> {
  expect(await page.getAttribute(selector, 'dir')).toBe('auto');
  const [extension, name] = await Promise.all([extentOf(page, selector, 'pdf'), extentOf(page, selector, 'مخطط')]);
  expect(extension.right).toBeLessThanOrEqual(name.left + 0.5);
}

async function mailsTo(email: string): Promise<number> {
  return (await mailbox.parsed(email)).length;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lajna-walk-'));
  mailbox = await Mailbox.start();
  [t, browser] = await Promise.all([
    startTestServer((c) => {
      c.smtp.host = '127.0.0.1';
      c.smtp.port = mailbox.port;
    }),
    launchBrowser(),
  ]);
}, 60_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await t?.close();
  await mailbox?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the walk of issue 13 in Chromium', () => {
  it('applicant (ar) files, secretary (fr) checks and convenes, members (ar, en) and chair (fr) meet, the chair ends the session', async () => {
    const sessionId = await createRemoteSession();
    const session = (await CommitteeSession.findByPk(sessionId, { include: [Committee] })) as CommitteeSession & { Committee: Committee };
    const arabicFile = path.join(dir, ARABIC_FILE);
    fs.copyFileSync(smallPdf(), arabicFile);
    fs.writeFileSync(path.join(dir, 'notes.pdf'), 'not a pdf');

    // ---- The applicant, on a phone whose browser speaks Arabic (point 11: the first visit follows it).
    const applicant = await firstVisit('amina@example.tn', 'ar-TN');
    expect(await applicant.getAttribute('html', 'lang')).toBe('ar');
    expect(await applicant.getAttribute('html', 'dir')).toBe('rtl');
    await applicant.click('details:has([data-testid=new-dossier]) > summary');
    await applicant.selectOption('[data-testid=new-dossier] select[name=typeCode]', 'new_building');
    await applicant.fill('input[name=address]', ARABIC_ADDRESS);
    await applicant.fill('input[name=parcelRef]', 'TF 4242/Jendouba');
    await applicant.fill('input[name=coveredAreaM2]', '150');
    await applicant.fill('input[name=levels]', '2');
    await applicant.click('[data-testid=new-dossier] button[type=submit]');
    await applicant.waitForURL('**/portal/dossiers/*');
    const dossierId = Number(applicant.url().split('/').pop());
    const checklist = (await (await ApiClient.loggedIn(t.url, 'amina@example.tn')).get(`/api/dossiers/${dossierId}`)).body.checklist as { code: string; labelAr: string }[];
    const labelAr = (code: string) => checklist.find((c) => c.code === code)!.labelAr;

    // Point 11: the way back points the way the page reads (mirrored in Arabic).
    expect(await applicant.locator('a[href="/portal"] .arrow').evaluate((a) => getComputedStyle(a).transform)).toBe('matrix(-1, 0, 0, 1, 0, 0)');
    // The file field speaks Arabic: a labelled button and "no file chosen" in the page's language, the input reachable by the keyboard.
    const planItem = applicant.locator('[data-item=architect_plans]');
    expect(await planItem.locator('.file-picker label').textContent()).toBe('إيداع ملف PDF');
    expect(await planItem.getByTestId('file-chosen').textContent()).toBe('لم يُختر أي ملف');
    expect(await planItem.locator('input[type=file]').evaluate((i) => (i as HTMLInputElement).tabIndex === 0 && getComputedStyle(i).display !== 'none')).toBe(true);
    // Tab reaches it from the item before, and the button shows the focus.
    await applicant.locator('[data-item=topographic_survey] input[type=file]').focus();
    await applicant.keyboard.press('Tab');
    expect(await applicant.evaluate(() => document.activeElement?.getAttribute('data-upload'))).toBe('architect_plans');
    expect(await planItem.locator('.file-picker label').evaluate((l) => getComputedStyle(l).outlineStyle)).toBe('solid');

    // Point 7: a refused file is said in its item, naming it; a file on its way shows a percentage.
    await applicant.setInputFiles('[data-upload=architect_plans]', path.join(dir, 'notes.pdf'));
    await expect.poll(() => planItem.getByTestId('upload-error').textContent()).toBe(`لم يتم إيداع «${labelAr('architect_plans')}»: هذا الملف ليس PDF.`);
    await applicant.route('**/documents/signed_request', async (route) => { await new Promise((r) => setTimeout(r, 1500)); await route.continue().catch(() => undefined); });
    await applicant.setInputFiles('[data-upload=signed_request]', smallPdf());
    await expect.poll(() => applicant.locator('[data-item=signed_request] [data-testid=upload-percent]').textContent()).toMatch(/^\d{1,3} %$/);
    expect(await applicant.locator('[data-item=signed_request] [data-testid=upload-file]').textContent()).toBe(path.basename(smallPdf()));
    await expect.poll(() => applicant.locator('[data-item=signed_request] [data-testid=upload-ok]').count(), { timeout: 15_000 }).toBe(1);
    await applicant.unroute('**/documents/signed_request');
    for (const item of ITEMS.slice(1)) {
      await applicant.setInputFiles(`[data-upload=${item}]`, item === 'architect_plans' ? arabicFile : smallPdf());
      await expect.poll(() => applicant.locator(`[data-item=${item}] [data-testid=upload-ok]`).count(), { timeout: 15_000 }).toBe(1);
    }
    await planItem.locator('details summary').click();
    await expectIsolatedArabicName(applicant, '[data-item=architect_plans] details bdi');
    expect(await axeFindings(applicant)).toEqual([]);
    if (SHOTS) await applicant.screenshot({ path: `${SHOTS}/walk-portal-ar.png`, fullPage: true });

    // Point 7: submitting asks first, then says it is done; point 2: the receipt downloads in place.
    await applicant.click('[data-testid=submit]');
    await expect.poll(() => applicant.locator('[data-testid=submit-confirm]').isVisible()).toBe(true);
    expect(await applicant.getAttribute('[data-testid=status]', 'class')).toContain('status-draft');
    await applicant.click('[data-testid=submit-yes]');
    await expect.poll(() => applicant.getAttribute('[data-testid=status]', 'class')).toContain('status-submitted');
    await expect.poll(() => applicant.textContent('[data-testid=submitted]')).toMatch(/^تم إيداع الملف تحت المرجع ADR-\d{4}-\d{4}\./);
    const reference = (await applicant.textContent('h1'))!.split(' — ')[0]!;
    const [receipt] = await Promise.all([applicant.waitForEvent('download'), applicant.click('[data-testid=receipt]')]);
    expect(receipt.suggestedFilename()).toMatch(/\.pdf$/);
    if (SHOTS) await receipt.saveAs(`${SHOTS}/walk-receipt.pdf`);
    expect(applicant.url()).toBe(`${t.url}/portal/dossiers/${dossierId}`);

    // ---- The secretary, on a desktop whose browser speaks French (point 11).
    const office = await firstVisit('secretary@ain-draham.tn', 'fr-FR', { width: 1280, height: 900 });
    expect(await office.getAttribute('html', 'lang')).toBe('fr');
    expect(await office.getAttribute('html', 'dir')).toBe('ltr');
    await office.goto(`${t.url}/office/dossiers/${dossierId}`);
    // Not mirrored in French; the Arabic file name keeps its own direction in the French page too.
    expect(await office.locator('a[href="/office"] .arrow').evaluate((a) => getComputedStyle(a).transform)).toBe('none');
    await expectIsolatedArabicName(office, '[data-item=architect_plans] a bdi');
    await office.click('[data-testid=mark-complete]');
    await expect.poll(() => office.textContent('[data-testid=status]')).toBe('Complet');

    // Point 8: the agenda's checkbox sits on the line of its words, before them; ticking it puts the dossier on the agenda.
    await office.goto(`${t.url}/office`);
    const card = office.locator(`article[data-session="${sessionId}"]`);
    const tick = card.locator(`input[data-reference="${reference}"]`);
    const [box, words] = await Promise.all([tick.boundingBox(), tick.locator('xpath=..').boundingBox()]);
    expect(box!.x - words!.x).toBeLessThan(4);
    expect(Math.abs(box!.y + box!.height / 2 - (words!.y + words!.height / 2))).toBeLessThan(6);
    await tick.check();
    await card.getByTestId('save-agenda').click();
    await expect.poll(() => card.getByTestId('convene').isEnabled()).toBe(true);
    // Point 8: convening says so, and the message stays once the lists are refreshed.
    await card.getByTestId('convene').click();
    await expect.poll(() => card.getByTestId('convened').textContent()).toMatch(/^Membres convoqués le \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} : \d+ convocations/);
    await office.waitForTimeout(1000);
    expect(await card.getByTestId('convened').isVisible()).toBe(true);
    expect(await card.getByTestId('convene').count()).toBe(0);
    // Convening twice sends once: a second call is refused, each member has one convocation.
    await expect.poll(() => mailsTo('architect@ain-draham.tn'), { timeout: 20_000 }).toBe(1);
    const again = await (await ApiClient.loggedIn(t.url, 'secretary@ain-draham.tn')).post(`/api/sessions/${sessionId}/convene`, {});
    expect([again.status, again.body.error.code]).toEqual([409, 'already_convened']);
    // ... unless "send again" is asked for, and confirmed.
    await card.getByTestId('convene-again').click();
    await expect.poll(() => card.getByTestId('convene-again-confirm').textContent()).toContain('déjà convoqués');
    await card.getByTestId('convene-again-yes').click();
    await expect.poll(() => mailsTo('architect@ain-draham.tn'), { timeout: 20_000 }).toBe(2);
    await expect.poll(() => card.getByTestId('convened').textContent()).toContain('Envoyée 2 fois.');
    if (SHOTS) await card.screenshot({ path: `${SHOTS}/walk-office-convened-fr.png` });

    // Point 6: the applicant's timeline names each step, its documents and its session, no raw code.
    await applicant.reload();
    await expect.poll(() => applicant.getAttribute('[data-testid=status]', 'class')).toContain('status-scheduled');
    const timeline = (await applicant.textContent('[data-testid=timeline]'))!;
    expect(timeline).toContain(`جلسة ${formatDateTime(session.startsAt)}`);
    expect(timeline).not.toMatch(/\[|\]|[a-z]+_[a-z]+|session \d|portal\.|action\./);

    // ---- Point 9: at the pre-join screen, each in their language: the session named, the camera previewed, the devices listed.
    const people: { email: string; locale: string; lang: string; committee: string }[] = [
      { email: 'architect@ain-draham.tn', locale: 'ar-TN', lang: 'ar', committee: session.Committee.nameAr },
      { email: 'engineer@ain-draham.tn', locale: 'en-GB', lang: 'en', committee: session.Committee.nameFr },
      { email: 'chair@ain-draham.tn', locale: 'fr-FR', lang: 'fr', committee: session.Committee.nameFr },
    ];
    const rooms: MeetingPage[] = await Promise.all(people.map((p) => openMeeting(browser, t.url, p.email, sessionId, { locale: p.locale })));
    contexts.push(...rooms.map((r) => r.context));
    for (const [i, { page }] of rooms.entries()) {
      expect(await page.getAttribute('html', 'lang')).toBe(people[i]!.lang);
      const named = page.getByTestId('prejoin-session');
      await expect.poll(() => named.textContent()).toContain(people[i]!.committee);
      // Point 3: day first in every language, English included (02/12/2026, not 12/2/2026).
      expect(await named.textContent()).toContain(formatDateTime(session.startsAt));
      await expect.poll(() => page.$eval('[data-testid=preview]', (v) => (v as HTMLVideoElement).videoWidth), { timeout: 15_000 }).toBeGreaterThan(0);
      for (const select of ['mic-select', 'camera-select']) {
        await expect.poll(() => page.$eval(`[data-testid=${select}]`, (s) => {
          const el = s as HTMLSelectElement;
          return el.value !== 'none' && el.selectedOptions[0]!.textContent!.trim().length > 0;
        })).toBe(true);
      }
    }
    await expect.poll(() => rooms[0]!.page.$eval('[data-testid=mic-level]', (m) => (m as HTMLMeterElement).value), { timeout: 10_000 }).toBeGreaterThan(0);
    if (SHOTS) await rooms[0]!.page.screenshot({ path: `${SHOTS}/walk-prejoin-ar.png` });

    // ---- Point 10: the chair ends the session with no browser dialog; everyone gets the way on.
    const chair = rooms[2]!.page;
    const dialogs: string[] = [];
    chair.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
    for (const { page } of rooms) await clickJoin(page, { media: false });
    await chair.click('[data-testid=open-session]');
    await chair.click('[data-testid=end-session]');
    await chair.click('[data-testid=end-confirm-yes]');
    for (const { page } of rooms) {
      await page.waitForSelector('[data-testid=session-ended]', { timeout: 15_000 });
      expect(await page.getAttribute('[data-testid=session-ended] [data-testid=to-minutes]', 'href')).toBe(`/minutes/${sessionId}`);
      expect(await page.getAttribute('[data-testid=session-ended] [data-testid=to-sessions]', 'href')).toBe('/meeting');
    }
    expect(await chair.locator('[data-testid=room-error]').count()).toBe(0);
    expect(dialogs).toEqual([]);

    // Point 6: coming back to a closed session's room says it is closed and leads to its minutes.
    const late = rooms[1]!.page;
    await late.goto(`${t.url}/meeting/${sessionId}`);
    await late.click('[data-testid=join]:not([disabled])');
    await late.waitForSelector('[data-testid=session-closed]');
    expect(await late.textContent('[data-testid=session-closed]')).toContain('This session is closed');
    expect(await late.getAttribute('[data-testid=session-closed] [data-testid=to-minutes]', 'href')).toBe(`/minutes/${sessionId}`);
    expect(await late.locator('[data-testid=refused]').count()).toBe(0);
  }, 180_000);
});
