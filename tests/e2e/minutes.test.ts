import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MinutesView } from '../../protocol/minutes';
import { agendaOfDossiers } from '../support/agenda';
import { launchBrowser } from '../support/browser';
import { ApiClient } from '../support/http';
import { createRemoteSession, openMeeting } from '../support/meeting';
import { scriptedMinutesSession, type ScriptedMinutesSession } from '../support/minutesSession';
import { openedByChair } from '../support/meetingSocket';
import { pdfsig } from '../support/pdfsig';
import { startTestServer, type TestServer } from '../support/server';

let t: TestServer;
let browser: Browser;
let downloads: string;
const contexts: BrowserContext[] = [];
const browserDialogs: string[] = [];
const scripts: ScriptedMinutesSession[] = [];

/** A logged-in phone-sized page (the browser gets the API client's cookies). */
async function loggedInPage(email: string): Promise<{ context: BrowserContext; page: Page }> {
  const api = await ApiClient.loggedIn(t.url, email);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, acceptDownloads: true });
  contexts.push(context);
  await context.addCookies([...api.cookies].map(([name, value]) => ({ name, value, url: t.url })));
  const page = await context.newPage();
  // Confirmations are asked in the page: a browser dialog is a failure.
  page.on('dialog', (d) => { browserDialogs.push(d.message()); void d.dismiss(); });
  return { context, page };
}

const minutesOf = async (sessionId: number): Promise<MinutesView> => (await (await ApiClient.loggedIn(t.url, 'secretary@ain-draham.tn')).get(`/api/minutes/${sessionId}`)).body;

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  downloads = fs.mkdtempSync(path.join(os.tmpdir(), 'lajna-minutes-e2e-'));
}, 60_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  for (const s of scripts) s.disconnect();
  await browser?.close();
  await t?.close();
  fs.rmSync(downloads, { recursive: true, force: true });
});

describe('minutes in Chromium', () => {
  it('the secretary\'s text in the meeting room is saved, offline typing included, across a reconnect and a page reload', async () => {
    const sessionId = await createRemoteSession();
    await agendaOfDossiers(t.url, sessionId, [{}]);
    await openedByChair(t.url, sessionId);
    const secretary = await openMeeting(browser, t.url, 'secretary@ain-draham.tn', sessionId);
    contexts.push(secretary.context);
    const { page, context } = secretary;
    await page.click('[data-testid=join]');
    await page.waitForSelector('[data-testid=room][data-phase=joined]');
    await page.click('[data-testid=tab-minutes]');
    const remarks = page.locator('[data-testid=pane-minutes] [data-testid=minutes-remarks]');
    const state = page.locator('[data-testid=pane-minutes] [data-testid=minutes-save-state]');
    // The structure filled itself: the secretary is present, on video.
    await expect.poll(() => page.locator(`[data-testid=pane-minutes] [data-testid=minutes-attendance] li[data-user="${secretary.userId}"] [data-mode=video]`).count()).toBe(1);

    await remarks.pressSequentially('Ouverture de la séance. ');
    // An autosave may fire mid-typing on a busy machine: wait for the whole text on the server.
    await expect.poll(async () => (await minutesOf(sessionId)).content.remarks).toBe('Ouverture de la séance. ');
    await expect.poll(() => state.getAttribute('data-state')).toBe('saved');

    // Offline: the text is kept in the page, the server does not have it yet.
    await context.setOffline(true);
    await remarks.pressSequentially('Tapé hors ligne.');
    await expect.poll(() => state.getAttribute('data-state')).toBe('offline');
    expect((await minutesOf(sessionId)).content.remarks).toBe('Ouverture de la séance. ');
    await context.setOffline(false);
    await expect.poll(async () => (await minutesOf(sessionId)).content.remarks, { timeout: 30_000 }).toBe('Ouverture de la séance. Tapé hors ligne.');
    await expect.poll(() => state.getAttribute('data-state')).toBe('saved');

    // Offline again, then the page goes away before the text could be sent: the next visit sends it.
    await context.setOffline(true);
    await page.locator('[data-testid=pane-minutes] [data-testid=minutes-notes-1]').pressSequentially('ملاحظة كتبت دون اتصال');
    await expect.poll(() => state.getAttribute('data-state')).toBe('offline');
    await page.close();
    await context.setOffline(false);
    expect((await minutesOf(sessionId)).content.items[0]!.notes).toBe('');
    const again = await context.newPage();
    await again.goto(`${t.url}/meeting/${sessionId}`);
    await again.click('[data-testid=join]:not([disabled])');
    await again.waitForSelector('[data-testid=room][data-phase=joined]');
    await expect.poll(async () => (await minutesOf(sessionId)).content.items[0]!.notes, { timeout: 30_000 }).toBe('ملاحظة كتبت دون اتصال');
    await again.click('[data-testid=tab-minutes]');
    await expect.poll(() => again.locator('[data-testid=pane-minutes] [data-testid=minutes-save-state]').getAttribute('data-state')).toBe('saved');
    expect(await again.locator('[data-testid=pane-minutes] [data-testid=minutes-remarks]').inputValue()).toBe('Ouverture de la séance. Tapé hors ligne.');
    await again.click('[data-testid=leave]');
  });

  it('after a session the secretary finalizes, secretary and chair sign with their passwords, the signed PDF downloads and /verify shows both signers; the office records the decision, the president signs the arrêté in the UI, the applicant downloads it and /verify shows the president\'s signature', async () => {
    const script = await scriptedMinutesSession(t.url);
    scripts.push(script);
    const { sessionId } = script;

    // The secretary reviews from the office's list, adds a remark, finalizes and signs.
    const secretary = await loggedInPage('secretary@ain-draham.tn');
    await secretary.page.goto(`${t.url}/office`);
    await secretary.page.click(`[data-testid=recent-minutes] [data-testid=minutes-link-${sessionId}]`);
    await secretary.page.waitForSelector('[data-testid=minutes][data-status=draft]');
    expect(await secretary.page.locator('[data-testid=minutes-item-1] [data-testid=minutes-vote-outcome]').count()).toBe(1);
    // Finalize right after typing: what is still on its way is sent first, nothing is lost.
    await secretary.page.locator('[data-testid=minutes-remarks]').pressSequentially('La séance est levée.');
    await secretary.page.click('[data-testid=finalize]:not([disabled])');
    // Finalizing asks first, in the page; Escape leaves the minutes a draft.
    await secretary.page.waitForSelector('[data-testid=finalize-confirm][role=alertdialog]', { state: 'visible' });
    await secretary.page.keyboard.press('Escape');
    await secretary.page.waitForSelector('[data-testid=finalize-confirm]', { state: 'hidden' });
    expect(await secretary.page.getAttribute('[data-testid=minutes]', 'data-status')).toBe('draft');
    await secretary.page.click('[data-testid=finalize]:not([disabled])');
    await secretary.page.click('[data-testid=finalize-confirm-yes]');
    await secretary.page.waitForSelector('[data-testid=minutes][data-status=finalized]');
    expect(browserDialogs).toEqual([]);
    const hash = (await secretary.page.textContent('[data-testid=minutes-hash]'))!.trim();
    // The signing screen shows the PDF itself in the viewer, above the hash and the password.
    await secretary.page.waitForSelector('[data-testid=signing-screen] [data-testid=signing-viewer][data-drawn-page="1"]', { timeout: 30_000 });
    expect(await secretary.page.textContent('[data-testid=signing-screen] .minutes-hash')).toBe(hash);
    // Signing asks for the password again: a wrong one is refused and nothing is signed.
    await secretary.page.fill('[data-testid=sign-password]', 'not-my-password');
    await secretary.page.click('[data-testid=sign-secretary]');
    await secretary.page.waitForSelector('[data-testid=minutes-error]');
    expect(await secretary.page.locator('[data-testid=signatures] li').count()).toBe(0);
    await secretary.page.fill('[data-testid=sign-password]', 'lajna-demo');
    await secretary.page.click('[data-testid=sign-secretary]');
    await secretary.page.waitForSelector('[data-testid=signatures] li[data-role=secretary]', { timeout: 60_000 });
    expect(await secretary.page.locator('[data-testid=sign-chair]').count()).toBe(0);

    // The chair finds the minutes among the closed sessions and signs.
    const chair = await loggedInPage('chair@ain-draham.tn');
    await chair.page.goto(`${t.url}/meeting`);
    await chair.page.click(`[data-testid=recent-minutes] [data-testid=minutes-link-${sessionId}]`);
    await chair.page.fill('[data-testid=sign-password]', 'lajna-demo');
    await chair.page.click('[data-testid=sign-chair]');
    await chair.page.waitForSelector('[data-testid=signed-all]', { timeout: 60_000 });
    const view = await minutesOf(sessionId);
    expect(view).toMatchObject({ status: 'finalized', hash, nextSigner: null, content: { remarks: 'La séance est levée.' } });
    expect(view.signatures.map((s) => s.role)).toEqual(['secretary', 'chair']);

    // The PDF downloads as signed: its first revision is the very bytes fingerprinted at finalize.
    const [download] = await Promise.all([chair.page.waitForEvent('download'), chair.page.click('[data-testid=pdf-ar]')]);
    const file = path.join(downloads, download.suggestedFilename());
    await download.saveAs(file);
    expect(download.suggestedFilename()).toBe(`minutes-ADR-${view.content.date}-ar.pdf`);
    const downloaded = fs.readFileSync(file);
    expect(crypto.createHash('sha256').update(downloaded.subarray(0, downloaded.indexOf('%%EOF') + 6)).digest('hex')).toBe(view.pdfSha256!.ar);

    // Anyone may verify it: valid as downloaded, not valid with one byte changed; the printed hash too.
    const visitor = await browser.newContext({ viewport: { width: 390, height: 844 } });
    contexts.push(visitor);
    const page = await visitor.newPage();
    await page.goto(`${t.url}/public`);
    await page.click('main a[href="/verify"]');
    await page.setInputFiles('[data-testid=verify-file]', file);
    await page.click('[data-testid=verify-file-submit]');
    await page.waitForSelector('[data-testid=verify-result][data-valid=true][data-state=signed]');
    // Both signers, each signature checked.
    expect(await page.locator('[data-testid=verify-signatures] li[data-valid=true]').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-role')))).toEqual(['secretary', 'chair']);
    // Said in the page's language (Arabic, the visitor's browser's): the signers' names and the municipality's signing authority.
    const signers = (await page.textContent('[data-testid=verify-signatures]'))!;
    expect(signers).toContain('محمد الهادي العياري');
    expect(signers).toContain('سلطة الإمضاء التابعة لبلدية عين دراهم');
    expect(signers).not.toMatch(/[A-Za-zÀ-ÿ]{3,}/);
    if (process.env.LAJNA_SHOTS) await page.screenshot({ path: `${process.env.LAJNA_SHOTS}/verify-ar.png`, fullPage: true });
    const tampered = path.join(downloads, 'tampered.pdf');
    const bytes = fs.readFileSync(file);
    bytes[bytes.length >> 1] ^= 0x01;
    fs.writeFileSync(tampered, bytes);
    await page.setInputFiles('[data-testid=verify-file]', tampered);
    await page.click('[data-testid=verify-file-submit]');
    await page.waitForSelector('[data-testid=verify-result][data-valid=false]');
    await page.fill('[data-testid=verify-hash]', hash);
    await page.click('[data-testid=verify-hash-submit]');
    await page.waitForSelector('[data-testid=verify-result][data-valid=true]');

    // The public page lists the opinions by reference.
    await page.goto(`${t.url}/public`);
    for (const d of script.dossiers) await page.waitForSelector(`[data-published-session="${sessionId}"] [data-reference="${d.reference}"]`);

    // The office records the decision on the dossier page; the president signs the arrêté there, the PDF in the viewer, its hashes shown.
    const dossierId = script.dossiers[0]!.dossierId;
    await secretary.page.goto(`${t.url}/office/dossiers/${dossierId}`);
    await secretary.page.fill('[data-testid=decision-arrete]', '2026/118');
    await secretary.page.fill('[data-testid=decision-date]', '2026-12-02');
    await secretary.page.click('[data-testid=record-decision]');
    await secretary.page.waitForSelector('[data-testid=arrete][data-signed=false]');
    // The secretary does not sign it.
    expect(await secretary.page.locator('[data-testid=sign-arrete]').count()).toBe(0);
    await chair.page.goto(`${t.url}/office/dossiers/${dossierId}`);
    await chair.page.waitForSelector('[data-testid=arrete][data-signed=false] [data-testid=signing-viewer][data-drawn-page="1"]', { timeout: 30_000 });
    expect(await chair.page.locator('[data-testid=decision-form]').count()).toBe(0);
    const issued = (await (await ApiClient.loggedIn(t.url, 'chair@ain-draham.tn')).get(`/api/arretes/${dossierId}`)).body;
    for (const lang of ['ar', 'fr'] as const) expect(await chair.page.textContent(`[data-testid=arrete-hash-${lang}]`)).toBe(issued.pdfSha256[lang]);
    await chair.page.fill('[data-testid=arrete] [data-testid=sign-password]', 'not-my-password');
    await chair.page.click('[data-testid=sign-arrete]');
    await chair.page.waitForSelector('[data-testid=arrete-error]');
    await chair.page.fill('[data-testid=arrete] [data-testid=sign-password]', 'lajna-demo');
    await chair.page.click('[data-testid=sign-arrete]');
    await chair.page.waitForSelector('[data-testid=arrete][data-signed=true] [data-testid=arrete-signed-by]', { timeout: 60_000 });
    expect(await chair.page.locator('[data-testid=sign-arrete]').count()).toBe(0);
    const applicant = await loggedInPage('amina@example.tn');
    await applicant.page.goto(`${t.url}/portal/dossiers/${dossierId}`);
    await applicant.page.waitForSelector('[data-testid=arrete][data-signed=true]');
    expect(await applicant.page.textContent('[data-testid=permit-valid-until]')).toContain('02/12/2029');
    expect(await applicant.page.textContent('[data-testid=permit-extension-by]')).toContain('02/11/2029');
    const [arrete] = await Promise.all([applicant.page.waitForEvent('download'), applicant.page.click('[data-testid=arrete-pdf-fr]')]);
    const arreteFile = path.join(downloads, arrete.suggestedFilename());
    await arrete.saveAs(arreteFile);
    expect(arrete.suggestedFilename()).toBe(`arrete-${script.dossiers[0]!.reference}-fr.pdf`);
    expect(pdfsig(fs.readFileSync(arreteFile)).map((s) => [s.field, s.valid])).toEqual([['president', true]]);
    // /verify recognises it: the decision, and the president's signature checked.
    await page.goto(`${t.url}/verify`);
    await page.setInputFiles('[data-testid=verify-file]', arreteFile);
    await page.click('[data-testid=verify-file-submit]');
    await page.waitForSelector('[data-testid=verify-result][data-kind=arrete][data-valid=true][data-state=signed]');
    expect(await page.textContent('[data-testid=verify-arrete]')).toContain(script.dossiers[0]!.reference);
    expect(await page.locator('[data-testid=verify-signatures] li[data-valid=true]').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-role')))).toEqual(['president']);
    expect(await page.textContent('[data-testid=verify-signatures]')).toContain('محمد الهادي العياري');
  }, 180_000);
});
