import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { User } from '../../db/models';
import { launchBrowser, loginPage } from '../support/browser';
import { startTestServer, type TestServer } from '../support/server';

/**
 * The profile page's mobile number and SMS choice, on a phone, in Arabic and French: a
 * number that is not Tunisian is refused with the reason next to the field and nothing is
 * stored; a good one is stored as E.164 and shown again. The admin sees this month's SMS
 * against the municipality's quota and sets it.
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

describe('the profile page in Chromium', () => {
  it.each([
    ['ar', 'amina@example.tn', 'هذا الرقم ليس تونسيًا', 'الرقم التونسي يتكوّن من 8 أرقام', 'تم الحفظ'],
    ['fr', 'youssef@example.tn', 'Ce numéro n’est pas tunisien', 'Un numéro tunisien a 8 chiffres', 'Enregistré'],
  ] as const)('%s: a wrong number is named next to the field and not stored; a right one is stored and shown again', async (locale, email, notTunisian, wrongLength, saved) => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await loginPage(context, t.url, email, locale);
    await page.click('[data-testid=who]');
    await page.waitForURL('**/profile');
    const field = page.locator('[data-testid=sms-number]');
    await field.fill('+33 6 12 34 56 78');
    await page.check('[data-testid=sms-opt-in]');
    await page.click('[data-testid=sms-save]');
    await expect.poll(() => page.textContent('[data-testid=sms-error]')).toContain(notTunisian);
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    // The message sits right under the field (the hint between them), not somewhere else on the page.
    const [fieldBox, errorBox] = await Promise.all([field.boundingBox(), page.locator('[data-testid=sms-error]').boundingBox()]);
    expect(errorBox!.y - (fieldBox!.y + fieldBox!.height)).toBeLessThan(80);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/profile-error-${locale}.png`, fullPage: true });
    await field.fill('+216 22 123 45');
    await page.click('[data-testid=sms-save]');
    await expect.poll(() => page.textContent('[data-testid=sms-error]')).toContain(wrongLength);
    expect((await User.findOne({ where: { email } }))!.smsNumber).toBeNull();

    await field.fill('22 123 456');
    await page.click('[data-testid=sms-save]');
    await expect.poll(() => page.textContent('[data-testid=sms-saved]')).toContain(saved);
    expect(await page.locator('[data-testid=sms-error]').count()).toBe(0);
    expect(await page.textContent('[data-testid=sms-saved]')).toContain('+21622123456');
    const user = (await User.findOne({ where: { email } }))!;
    expect([user.smsNumber, user.smsOptIn]).toEqual(['+21622123456', true]);
    await page.reload();
    await expect.poll(() => field.inputValue()).toBe('+21622123456');
    expect(await page.isChecked('[data-testid=sms-opt-in]')).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/profile-${locale}.png`, fullPage: true });
    await context.close();
  }, 120_000);

  it('the admin sees the month\'s SMS against the quota and sets it', async () => {
    const context = await browser.newContext();
    const page = await loginPage(context, t.url, 'admin@ain-draham.tn', 'fr');
    await page.waitForURL('**/office');
    await expect.poll(() => page.textContent('[data-testid=sms-quota-used]'), { timeout: 30_000 }).toMatch(/^\d+ SMS envoyés \(\d{2}\/\d{4}\), sans quota\.$/);
    await page.fill('[data-testid=sms-quota-input]', '500');
    await page.click('[data-testid=sms-quota-save]');
    await expect.poll(() => page.textContent('[data-testid=sms-quota-used]')).toMatch(/^\d+ SMS envoyés sur un quota de 500 \(\d{2}\/\d{4}\)\.$/);
    await page.reload();
    await expect.poll(() => page.inputValue('[data-testid=sms-quota-input]'), { timeout: 30_000 }).toBe('500');
    if (SHOTS) await page.locator('[data-testid=sms-quota]').screenshot({ path: `${SHOTS}/sms-quota-fr.png` });
    // The secretary, who is not the admin, does not see it.
    const secretary = await loginPage(await browser.newContext(), t.url, 'secretary@ain-draham.tn', 'fr');
    await expect.poll(() => secretary.locator('[data-testid=queue]').count(), { timeout: 30_000 }).toBe(1);
    expect(await secretary.locator('[data-testid=sms-quota]').count()).toBe(0);
    await secretary.context().close();
    await context.close();
  }, 120_000);
});
