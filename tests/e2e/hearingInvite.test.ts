import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HearingInvitation, OutboxMessage } from '../../db/models';
import { sessionWithDossiers, type ExaminedDossier } from '../support/agenda';
import { axeFindings } from '../support/axe';
import { launchBrowser, loginPage } from '../support/browser';
import { startTestServer, type TestServer } from '../support/server';

/**
 * The hearing invitations on the office's dossier page, on a phone: the secretary (French)
 * and the chair (Arabic) invite a guest to the dossier's agenda item; a bad name or address
 * is named next to its field and nothing is sent; a good one is emailed and listed as sent;
 * withdrawing it lists it as withdrawn. axe-core finds nothing serious.
 */
const SHOTS = path.resolve('.tmp/screenshots');
let t: TestServer;
let browser: Browser;
let sessionId: number;
let dossiers: ExaminedDossier[];
let items: number[];

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  ({ sessionId, dossiers, items } = await sessionWithDossiers(t.url, 2));
  fs.mkdirSync(SHOTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const invitationsOf = (agendaItemId: number) => HearingInvitation.count({ where: { sessionId, agendaItemId } });

async function openDossier(email: string, locale: 'ar' | 'fr', dossierId: number, agendaItemId: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await loginPage(context, t.url, email, locale);
  await page.goto(`${t.url}/office/dossiers/${dossierId}`);
  await page.locator(`[data-testid=hearing-${agendaItemId}] [data-testid=invite-form]`).waitFor();
  return page;
}

describe('hearing invitations on the office dossier page, in Chromium', () => {
  it.each([
    ['fr', 'secretary@ain-draham.tn', 0, 'Donnez le nom', 'pas une adresse électronique', 'envoyée', 'retirée'],
    ['ar', 'chair@ain-draham.tn', 1, 'اكتبوا الاسم', 'ليس عنوان بريد', 'مُرسلة', 'مسحوبة'],
  ] as const)('%s (%s): bad fields are named beside them and nothing is sent; a good invitation is emailed, listed, withdrawn', async (locale, email, n, badName, badEmail, sent, revoked) => {
    const { dossierId } = dossiers[n]!;
    const itemId = items[n]!;
    const page = await openDossier(email, locale, dossierId, itemId);
    const card = page.locator(`[data-testid=hearing-${itemId}]`);

    await card.locator('[data-testid=invite-name]').fill('K');
    await card.locator('[data-testid=invite-email]').fill('not-an-address');
    await card.locator('[data-testid=invite]').click();
    await expect.poll(() => card.locator('[data-testid=invite-name-error]').textContent()).toContain(badName);
    expect(await card.locator('[data-testid=invite-email-error]').textContent()).toContain(badEmail);
    expect(await card.locator('[data-testid=invite-email]').getAttribute('aria-invalid')).toBe('true');
    expect(await invitationsOf(itemId)).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, `hearing-invite-errors-${locale}-phone.png`), fullPage: true });

    await card.locator('[data-testid=invite-name]').fill('Bureau Kacem');
    await card.locator('[data-testid=invite-email]').fill(`archi${n}@example.tn`);
    await card.locator('[data-testid=invite]').click();
    const row = card.locator('[data-testid^=invitation-][data-state]');
    await row.waitFor();
    expect(await card.locator('[data-testid=invite-name-error]').count()).toBe(0);
    expect(await row.getAttribute('data-state')).toBe('sent');
    expect(await row.locator('[data-testid=invitation-state]').textContent()).toBe(sent);
    const invitation = (await HearingInvitation.findOne({ where: { sessionId, agendaItemId: itemId } }))!;
    const mail = await OutboxMessage.findOne({ where: { about: `hearing:${invitation.id}`, channel: 'email' } });
    expect(mail?.text).toMatch(/\/hearing#[A-Za-z0-9_-]{43}/);
    // The other item's card does not list it.
    expect(await page.locator(`[data-testid=hearing-${items[1 - n]}] [data-testid^=invitation-]`).count()).toBe(0);
    expect(await axeFindings(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await card.screenshot({ path: path.join(SHOTS, `hearing-invite-${locale}-phone.png`) });

    await card.locator(`[data-testid=revoke-${invitation.id}]`).click();
    await expect.poll(() => row.getAttribute('data-state')).toBe('revoked');
    expect(await row.locator('[data-testid=invitation-state]').textContent()).toBe(revoked);
    expect(await card.locator(`[data-testid=revoke-${invitation.id}]`).count()).toBe(0);
    expect((await invitation.reload()).revokedAt).not.toBeNull();
    await page.context().close();
  }, 120_000);
});
