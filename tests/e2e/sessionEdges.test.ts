import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Committee, CommitteeSession } from '../../db/models';
import { formatDay } from '../../protocol/municipalTime';
import { launchBrowser } from '../support/browser';
import { clickJoin, createRemoteSession, openMeeting } from '../support/meeting';
import { startTestServer, type TestServer } from '../support/server';

/** The edges of a session in Chromium: the pre-join screen, the end for the chair, a closed session's room. */
let t: TestServer;
let browser: Browser;
let sessionId: number;

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  sessionId = await createRemoteSession();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('before and after a session', () => {
  it('the pre-join screen names the session, previews the camera, lists the devices in use and shows the microphone\'s level', async () => {
    const { page, context } = await openMeeting(browser, t.url, 'architect@ain-draham.tn', sessionId);
    const session = (await CommitteeSession.findByPk(sessionId, { include: [Committee] }))!;
    const committee = (session as CommitteeSession & { Committee: Committee }).Committee;
    await expect.poll(() => page.textContent('[data-testid=prejoin-session]')).toContain(committee.nameAr);
    expect(await page.textContent('[data-testid=prejoin-session]')).toContain(formatDay(session.startsAt));
    await expect.poll(() => page.$eval('[data-testid=preview]', (v) => (v as HTMLVideoElement).videoWidth), { timeout: 15_000 }).toBeGreaterThan(0);
    for (const select of ['mic-select', 'camera-select']) {
      await expect.poll(() => page.$eval(`[data-testid=${select}]`, (s) => {
        const el = s as HTMLSelectElement;
        return el.value !== 'none' && el.selectedOptions[0]!.textContent!.trim().length > 0;
      })).toBe(true);
    }
    await expect.poll(() => page.$eval('[data-testid=mic-level]', (m) => (m as HTMLMeterElement).value), { timeout: 10_000 }).toBeGreaterThan(0);
    await context.close();
  }, 60_000);

  it('the chair ends the session without a browser dialog and everyone gets the way to the minutes; a closed session\'s room says so', async () => {
    const chair = await openMeeting(browser, t.url, 'chair@ain-draham.tn', sessionId);
    const dialogs: string[] = [];
    chair.page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
    await clickJoin(chair.page, { media: false });
    await chair.page.click('[data-testid=open-session]');
    await chair.page.click('[data-testid=end-session]');
    await chair.page.click('[data-testid=end-confirm-yes]');
    await chair.page.waitForSelector('[data-testid=session-ended]');
    expect(await chair.page.getAttribute('[data-testid=session-ended] [data-testid=to-minutes]', 'href')).toBe(`/minutes/${sessionId}`);
    expect(await chair.page.locator('[data-testid=room-error]').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await chair.context.close();

    const late = await openMeeting(browser, t.url, 'engineer@ain-draham.tn', sessionId);
    await late.page.click('[data-testid=join]');
    await late.page.waitForSelector('[data-testid=session-closed]');
    expect(await late.page.getAttribute('[data-testid=session-closed] [data-testid=to-minutes]', 'href')).toBe(`/minutes/${sessionId}`);
    expect(await late.page.locator('[data-testid=refused]').count()).toBe(0);
    await late.context.close();
  }, 90_000);
});
