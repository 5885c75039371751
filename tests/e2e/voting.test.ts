import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionWithOneDossier, type ExaminedDossier } from '../support/agenda';
import { launchBrowser } from '../support/browser';
import { ApiClient } from '../support/http';
import { memberInRoom, type MeetingPage } from '../support/meeting';
import { startTestServer, type TestServer } from '../support/server';

let t: TestServer;
let browser: Browser;
let sessionId: number;
let dossier: ExaminedDossier;
let itemId: number;
const open: MeetingPage[] = [];

/** A member's phone-sized page in the room, in French, joined audio-only without a microphone (the vote is what matters here). */
async function member(email: string): Promise<MeetingPage> {
  const m = await memberInRoom(browser, t.url, email, sessionId, { locale: 'fr' });
  open.push(m);
  return m;
}

const outcomeOf = async (page: Page) => {
  const outcome = page.locator('[data-testid=vote-outcome]');
  return { opinion: await outcome.getAttribute('data-opinion'), text: (await page.locator('.closed-vote').first().innerText()).trim() };
};

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  ({ sessionId, dossier, itemId } = await sessionWithOneDossier(t.url));
}, 120_000);

afterAll(async () => {
  for (const m of open) await m.context.close().catch(() => undefined);
  await browser?.close();
  await t?.close();
});

describe('a vote in the meeting room, in Chromium', () => {
  it('the chair opens the item and the vote, three members vote, the chair closes; every page shows the same outcome, and so does the applicant\'s dossier', async () => {
    const chair = await member('chair@ain-draham.tn');
    await chair.page.click('[data-testid=open-session]');
    await chair.page.waitForSelector('[data-testid=waiting-room]', { state: 'detached' });
    const members = [await member('architect@ain-draham.tn'), await member('engineer@ain-draham.tn'), await member('steg@ain-draham.tn')];
    const everyone = [chair, ...members];

    // The chair opens the item and shows a document of it.
    await chair.page.click('[data-testid=tab-document]');
    await chair.page.click(`[data-testid=open-item-${itemId}]`);
    await chair.page.click(`[data-testid=document-${dossier.documents[0]!.versionId}]`);
    // Everyone is on the document (the pane comes forward by itself) before the vote starts.
    for (const m of everyone) await m.page.waitForSelector('[data-testid=pane-document][data-active=true] [data-testid=pdf-viewer][data-rendered-page="1"]', { timeout: 30_000 });

    // The chair opens the vote; it comes to every member's screen by itself.
    await chair.page.click('[data-testid=tab-vote]');
    await expect.poll(() => chair.page.inputValue('[data-testid=open-vote-question]')).toContain(dossier.reference);
    await chair.page.fill('[data-testid=open-vote-conditions]', 'Façade en pierre de la région');
    await chair.page.click('[data-testid=open-vote]');
    for (const m of everyone) {
      await m.page.waitForSelector('[data-testid=pane-vote][data-active=true] [data-testid=vote-question]');
      expect(await m.page.textContent('[data-testid=vote-question]')).toContain(dossier.reference);
    }

    // Each member votes; everyone sees who has voted, not how.
    const choices = ['favourable_with_conditions', 'favourable_with_conditions', 'unfavourable', 'favourable_with_conditions'];
    for (const [i, m] of everyone.entries()) {
      await m.page.click(`[data-testid=ballot-${choices[i]}]`);
      await expect.poll(() => m.page.getAttribute(`[data-testid=ballot-${choices[i]}]`, 'aria-pressed')).toBe('true');
    }
    for (const m of everyone) {
      for (const v of everyone) await m.page.waitForSelector(`[data-testid=voted-${v.userId}]`);
      expect(await m.page.locator('[data-testid=vote-tally]').count()).toBe(0);
    }
    // The architect changes their ballot before close.
    await members[0]!.page.click('[data-testid=ballot-favourable]');
    await expect.poll(() => members[0]!.page.getAttribute('[data-testid=ballot-favourable]', 'aria-pressed')).toBe('true');

    await chair.page.fill('[data-testid=close-vote-reasons]', 'Projet conforme au plan d’aménagement');
    await chair.page.click('[data-testid=close-vote]');
    for (const m of everyone) await m.page.waitForSelector('[data-testid=vote-outcome]');
    const outcomes = await Promise.all(everyone.map((m) => outcomeOf(m.page)));
    // Chair and steg with conditions, the architect plain favourable, the engineer against: the favourable side wins, with conditions (2 of 3).
    expect(outcomes[0]!.opinion).toBe('favourable_with_conditions');
    for (const o of outcomes) expect(o).toEqual(outcomes[0]);
    expect(outcomes[0]!.text).toContain('Façade en pierre de la région');
    expect(outcomes[0]!.text).toContain('Projet conforme au plan d’aménagement');
    for (const m of everyone) expect(await m.page.locator('[data-testid=named-ballots] li').count()).toBe(4);

    // The applicant's dossier page shows the committee's opinion with its conditions and reasons.
    const amina = await ApiClient.loggedIn(t.url, 'amina@example.tn');
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    await context.addCookies([...amina.cookies].map(([name, value]) => ({ name, value, url: t.url })));
    const page = await context.newPage();
    await page.goto(`${t.url}/portal/dossiers/${dossier.dossierId}`);
    await page.waitForSelector('[data-testid=opinion]');
    expect(await page.getAttribute('[data-testid=opinion]', 'data-opinion')).toBe('favourable_with_conditions');
    expect(await page.textContent('[data-testid=opinion-conditions]')).toContain('Façade en pierre de la région');
    expect(await page.textContent('[data-testid=opinion-reasons]')).toContain('Projet conforme au plan d’aménagement');
    expect(await page.getAttribute('[data-testid=status]', 'class')).toContain('status-favourable_with_conditions');
    expect(await page.textContent('[data-testid=opinions]')).toContain(dossier.documents[0]!.sha256.slice(0, 16));
    await context.close();
  });
});
