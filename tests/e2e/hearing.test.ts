import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExaminedDossier } from '../support/agenda';
import { launchBrowser } from '../support/browser';
import { guestClient, guestSocket, invite, liveSessionWithDossiers, nextGuestEvent, type GuestClient } from '../support/hearings';
import { ApiClient } from '../support/http';
import { memberInRoom, type MeetingPage } from '../support/meeting';
import { meetingData, type MeetingClient } from '../support/meetingSocket';
import { startTestServer, type TestServer } from '../support/server';

const SHOTS = path.resolve('.tmp/screenshots');
let t: TestServer;
let browser: Browser;
let sessionId: number;
let dossiers: ExaminedDossier[];
let items: number[];
let chairPage: MeetingPage;
let chairSocket: MeetingClient;
let guest: GuestClient;

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  ({ sessionId, dossiers, items, chairSocket } = await liveSessionWithDossiers(t.url, 2));
  fs.mkdirSync(SHOTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  guest?.disconnect();
  chairSocket?.disconnect();
  await chairPage?.context.close().catch(() => undefined);
  await browser?.close();
  await t?.close();
});

describe("the chair's hearing controls, in Chromium, in Arabic", () => {
  it('show who waits for which item; the chair admits the guest once their item is open, then ends the hearing', async () => {
    chairPage = await memberInRoom(browser, t.url, 'chair@ain-draham.tn', sessionId, { device: { viewport: { width: 1280, height: 800 } } });
    const page = chairPage.page;
    const secretary = await ApiClient.loggedIn(t.url, 'secretary@ain-draham.tn');
    const { invitation, token } = await invite(secretary, { sessionId, agendaItemId: items[1]!, dossierId: dossiers[1]!.dossierId, name: 'Bureau Kacem', email: 'archi@example.tn' });
    guest = guestSocket(t.url, await guestClient(t.url, token));
    expect(await (guest as unknown as Socket).emitWithAck('enterLobby', {})).toMatchObject({ ok: true });

    await page.click('[data-testid=tab-people]');
    const waiting = page.locator(`[data-testid=guest-waiting-${invitation.id}]`);
    await waiting.waitFor();
    expect(await waiting.textContent()).toContain('Bureau Kacem');
    expect(await waiting.textContent()).toContain('النقطة 2');
    // Item 1 is open: the chair is told to open the guest's item first.
    await meetingData(chairSocket, 'openItem', { agendaItemId: items[0] });
    // Opening an item brings everyone to the document: the chair goes back to the people.
    await page.click('[data-testid=tab-people]');
    await page.click(`[data-testid=admit-${invitation.id}]`);
    await page.locator('[data-testid=pane-people] [role=alert]').waitFor();
    expect(await page.locator('[data-testid=pane-people] [role=alert]').textContent()).toContain('افتحوا النقطة 2');
    await page.screenshot({ path: path.join(SHOTS, 'hearing-chair-admit-ar.png') });

    await meetingData(chairSocket, 'openItem', { agendaItemId: items[1] });
    await page.click('[data-testid=tab-people]');
    const admitted = nextGuestEvent(guest, 'admitted');
    await page.click(`[data-testid=admit-${invitation.id}]`);
    expect((await admitted).item.id).toBe(items[1]);
    await page.locator(`[data-testid=guest-heard-${invitation.id}]`).waitFor();

    const ended = nextGuestEvent(guest, 'hearingEnded');
    await page.click(`[data-testid=end-hearing-${invitation.id}]`);
    expect(await ended).toEqual({ reason: 'ended' });
    await page.locator('[data-testid=hearing-guests]').waitFor({ state: 'detached' });
  }, 120_000);
});
