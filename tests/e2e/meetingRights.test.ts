import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser';
import { ApiClient } from '../support/http';
import { clickJoin, createRemoteSession, openMeeting } from '../support/meeting';
import { startTestServer, type TestServer } from '../support/server';

/** The room in Chromium when the member's rights end under it: it says so at once instead of going on as if nothing happened. */
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

describe('rights ended during the meeting, in Chromium', () => {
  it('a logout in another tab takes the room to "refused"; a member taken off the committee too', async () => {
    const architect = await openMeeting(browser, t.url, 'architect@ain-draham.tn', sessionId);
    await clickJoin(architect.page, { media: false });
    // Another tab of the same browser (same cookies) logs out.
    const other = await architect.context.newPage();
    await other.goto(`${t.url}/`);
    const status = await other.evaluate(async () => {
      const csrf = /(?:^|; )lajna_csrf=([^;]*)/.exec(document.cookie)?.[1] ?? '';
      return (await fetch('/api/auth/logout', { method: 'POST', headers: { 'x-csrf-token': decodeURIComponent(csrf) } })).status;
    });
    expect(status).toBe(204);
    await architect.page.waitForSelector('[data-testid=refused]', { timeout: 10_000 });

    const steg = await openMeeting(browser, t.url, 'steg@ain-draham.tn', sessionId);
    await clickJoin(steg.page, { media: false });
    const secretary = await ApiClient.loggedIn(t.url, 'secretary@ain-draham.tn');
    expect((await secretary.request('DELETE', `/api/municipalities/1/committee/seats/${steg.userId}`)).status).toBe(204);
    await steg.page.waitForSelector('[data-testid=refused]', { timeout: 10_000 });
    await Promise.all([architect.context.close(), steg.context.close()]);
  }, 120_000);
});
