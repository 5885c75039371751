import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/http';
import { launchBrowser, loginPage } from '../support/browser';
import { startTestServer, type TestServer } from '../support/server';

/**
 * Withdrawing a dossier asks in the page, not with the browser's confirm(): an alertdialog
 * that holds the focus, closes on Escape (nothing changes) and withdraws only on "yes".
 * (Finalizing the minutes uses the same dialog: tests/e2e/minutes.test.ts.)
 */
let t: TestServer;
let browser: Browser;
const SHOTS = process.env.LAJNA_SHOTS;
beforeAll(async () => {
  [t, browser] = await Promise.all([startTestServer(), launchBrowser()]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('the confirmation dialog in Chromium', () => {
  it('withdrawal: focus trapped in an alertdialog, Escape cancels, yes withdraws; no browser dialog', async () => {
    const amina = await ApiClient.loggedIn(t.url, 'amina@example.tn');
    const draft = (await amina.post('/api/dossiers', {
      municipalityId: 1, typeCode: 'new_building', location: { address: 'نهج الزيتون 3، عين دراهم', parcelRef: 'TF 77' }, coveredAreaM2: 90, levels: 1, nearProtectedSite: false,
    })).body as { id: number };
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await loginPage(context, t.url, 'amina@example.tn', 'ar');
    const dialogs: string[] = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
    await page.goto(`${t.url}/portal/dossiers/${draft.id}`);
    const dialog = page.locator('[data-testid=withdraw-confirm]');

    await page.click('[data-testid=withdraw]');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.getAttribute('role')).toBe('alertdialog');
    expect(await dialog.textContent()).toContain('سحب هذا الملف؟');
    // Focus starts on Cancel and Tab keeps it inside the dialog.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('withdraw-confirm-no');
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => !!document.activeElement?.closest('[data-testid=withdraw-confirm]') || document.activeElement === document.body)).toBe(true);
    }
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/withdraw-dialog-ar.png` });
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect((await amina.get(`/api/dossiers/${draft.id}`)).body.status).toBe('draft');

    await page.click('[data-testid=withdraw]');
    await page.click('[data-testid=withdraw-confirm-yes]');
    await expect.poll(() => page.getAttribute('[data-testid=status]', 'class')).toContain('status-withdrawn');
    expect((await amina.get(`/api/dossiers/${draft.id}`)).body.status).toBe('withdrawn');
    expect(dialogs).toEqual([]);
    await context.close();
  }, 120_000);
});
