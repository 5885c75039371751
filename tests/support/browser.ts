import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/demo/seed';

/**
 * Debian's Chromium, headless, with a fake camera and microphone (pages must be served from
 * localhost), its languages those of a Tunisian browser (Arabic, then French) unless a
 * context gives its own `locale`: the app's first visit follows them.
 */
export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--accept-lang=ar-TN,ar,fr',
      ...extraArgs,
    ],
  });
}

/** Share of a canvas's pixels that are not white: a drawn plan sheet has many, a blank canvas none. */
export function inkOf(page: Page, selector: string): Promise<number> {
  return page.$eval(selector, (c) => {
    const canvas = c as HTMLCanvasElement;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let ink = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i]! < 200 || data[i + 1]! < 200 || data[i + 2]! < 200) ink++;
    return ink / (data.length / 4);
  });
}

/**
 * A new page of `context` signed in as the demo account `email`, the app in `locale` as if
 * chosen, or with 'browser' as a first visit (nothing chosen: the app follows the browser's languages).
 */
export async function loginPage(context: BrowserContext, baseUrl: string, email: string, locale: 'ar' | 'fr' | 'browser' = 'fr'): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${baseUrl}/login`);
  if (locale !== 'browser') {
    await page.evaluate((l) => localStorage.setItem('lajna.locale', l), locale);
    await page.reload();
  }
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', DEMO_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return page;
}
