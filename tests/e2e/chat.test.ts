import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatMessage } from '../../db/models';
import { launchBrowser } from '../support/browser';
import { createRemoteSession, memberInRoom, type MeetingPage } from '../support/meeting';
import { startTestServer, type TestServer } from '../support/server';

let t: TestServer;
let browser: Browser;
let sessionId: number;
const open: MeetingPage[] = [];

async function member(email: string, locale = 'fr'): Promise<MeetingPage> {
  const m = await memberInRoom(browser, t.url, email, sessionId, { locale });
  open.push(m);
  return m;
}

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  sessionId = await createRemoteSession();
}, 120_000);

afterAll(async () => {
  for (const m of open) await m.context.close().catch(() => undefined);
  await browser?.close();
  await t?.close();
});

describe('the chat of the meeting room, in Chromium', () => {
  it('members write to everyone, a late joiner reads the history, links stay text, and the secretary excludes a message from the annex with a reason', async () => {
    const chair = await member('chair@ain-draham.tn');
    const architect = await member('architect@ain-draham.tn', 'ar');
    expect(await architect.page.locator('[data-testid=chat-input]').isDisabled()).toBe(true); // the waiting room records nothing
    await chair.page.click('[data-testid=open-session]');
    await chair.page.waitForSelector('[data-testid=waiting-room]', { state: 'detached' });

    // Written in Arabic with a reference and an address; sent with Enter.
    await architect.page.click('[data-testid=tab-chat]');
    await architect.page.fill('[data-testid=chat-input]', 'انظروا الملف ADR-2026-0001 على https://example.tn/plan');
    await architect.page.press('[data-testid=chat-input]', 'Enter');
    await chair.page.click('[data-testid=tab-chat]');
    const line = chair.page.locator('[data-testid=chat-messages] .chat-text').first();
    await expect.poll(() => line.innerText()).toBe('انظروا الملف ADR-2026-0001 على https://example.tn/plan');
    expect(await line.getAttribute('dir')).toBe('auto');
    expect(await chair.page.locator('[data-testid=chat-messages] a').count()).toBe(0);
    expect(await architect.page.inputValue('[data-testid=chat-input]')).toBe('');
    // A message that arrives while the pane is out of sight counts on its tab until it is opened.
    await architect.page.click('[data-testid=tab-video]');
    await chair.page.fill('[data-testid=chat-input]', 'Merci, nous le regardons.');
    await chair.page.click('[data-testid=chat-send]');
    await expect.poll(() => architect.page.innerText('[data-testid=tab-chat]')).toBe('الرسائل (1 جديدة)');
    expect(await chair.page.innerText('[data-testid=tab-chat]')).toBe('Messages');
    await architect.page.click('[data-testid=tab-chat]');
    await expect.poll(() => architect.page.innerText('[data-testid=tab-chat]')).toBe('الرسائل');

    // A late joiner (the secretary) reads both, in order, and finds them in the minutes' annex.
    const secretary = await member('secretary@ain-draham.tn');
    await secretary.page.click('[data-testid=tab-chat]');
    await expect.poll(() => secretary.page.locator('[data-testid=chat-messages] .chat-text').allInnerTexts())
      .toEqual(['انظروا الملف ADR-2026-0001 على https://example.tn/plan', 'Merci, nous le regardons.']);
    const first = (await ChatMessage.findOne({ where: { sessionId }, order: [['id', 'ASC']] }))!.id;
    await secretary.page.click('[data-testid=tab-minutes]');
    await secretary.page.waitForSelector(`[data-testid=annex-${first}][data-excluded=false]`);
    await secretary.page.click(`[data-testid=exclude-${first}]`);
    await secretary.page.fill(`[data-testid=exclude-reason-${first}]`, 'Adresse hors de la plateforme.');
    await secretary.page.click(`[data-testid=exclude-confirm-${first}]`);
    await secretary.page.waitForSelector(`[data-testid=annex-${first}][data-excluded=true]`);
    expect(await secretary.page.locator(`[data-testid=annex-${first}]`).innerText()).toContain('Retiré de l’annexe : Adresse hors de la plateforme.');
    // The room's chat is unchanged: the exclusion concerns the minutes.
    expect(await chair.page.locator('[data-testid=chat-messages] .chat-text').count()).toBe(2);
  }, 120_000);
});
