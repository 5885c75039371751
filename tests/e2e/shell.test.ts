import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/demo/seed';
import { launchBrowser } from '../support/browser';
import { startTestServer, type TestServer } from '../support/server';

let t: TestServer;
let browser: Browser;
beforeAll(async () => {
  [t, browser] = await Promise.all([startTestServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('client shell in Chromium', () => {
  it('logs the demo applicant in, shows the portal in Arabic (RTL), switches to French and keeps it', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } }); // a phone
    const page = await context.newPage();
    // (The first visit's language from the browser's: tests/e2e/walk.test.ts.)
    await page.goto(`${t.url}/login`);
    await page.fill('input[name=email]', 'amina@example.tn');
    await page.fill('input[name=password]', DEMO_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL('**/portal');
    await expect.poll(() => page.textContent('h1')).toBe('ملفات رخص البناء الخاصة بي');
    expect(await page.textContent('[data-testid=welcome]')).toContain('أمينة الحمامي');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');

    await page.selectOption('[data-testid=language]', 'fr');
    await expect.poll(() => page.textContent('h1')).toBe('Mes dossiers de permis de bâtir');
    expect(await page.getAttribute('html', 'dir')).toBe('ltr');
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    expect(await page.textContent('[data-testid=welcome]')).toContain('Amina Hammami');

    // The choice persists across a reload.
    await page.reload();
    await expect.poll(() => page.textContent('h1')).toBe('Mes dossiers de permis de bâtir');
    // Nothing overflows the phone-sized viewport.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await context.close();
  });

  it('shows a wrong password as an error and stays on the login page', async () => {
    const page = await browser.newPage();
    await page.goto(`${t.url}/login`);
    await page.fill('input[name=email]', 'amina@example.tn');
    await page.fill('input[name=password]', 'nope');
    await page.click('button[type=submit]');
    await expect.poll(() => page.textContent('[role=alert]')).toContain('غير صحيحة');
    expect(page.url()).toMatch(/\/login$/);
    await page.close();
  });

  it('lets the page open a websocket to its own origin under the CSP (connect-src \'self\'), and not to another host', async () => {
    const page = await browser.newPage();
    const refused: string[] = [];
    page.on('console', (m) => m.text().includes('Content Security Policy') && refused.push(m.text()));
    await page.goto(`${t.url}/login`);
    const open = (url: string) => page.evaluate((u) => new Promise<string>((resolve) => {
      try {
        const ws = new WebSocket(u);
        ws.onopen = () => (ws.close(), resolve('open'));
        ws.onerror = () => resolve('error');
      } catch (e) {
        resolve(`blocked: ${(e as Error).name}`);
      }
    }), url);
    expect(await open(`${t.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`)).toBe('open');
    expect(refused).toEqual([]);
    expect(await open('ws://127.0.0.2:9/')).not.toBe('open');
    await expect.poll(() => refused.some((m) => m.includes('connect-src'))).toBe(true);
    await page.close();
  });

  it('sends a logged-out visitor of the office to the login page', async () => {
    const page = await browser.newPage();
    await page.goto(`${t.url}/office`);
    await page.waitForURL('**/login');
    await page.close();
  });
});
