import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedPlanPdf } from '../support/fixtures/planPdf';
import { AgendaItem } from '../../db/models';
import { agendaOfDossiers, type ExaminedDossier } from '../support/agenda';
import { inkOf, launchBrowser } from '../support/browser';
import { clickJoin, createRemoteSession, openMeeting, type MeetingPage } from '../support/meeting';
import { startTestServer, type TestServer } from '../support/server';

let t: TestServer;
let browser: Browser;
let sessionId: number;
let dossier: ExaminedDossier;
const open: MeetingPage[] = [];

/** A member's phone-sized page in the room, joined without camera or microphone (the document is what matters here). */
async function member(email: string): Promise<Page> {
  const m = await openMeeting(browser, t.url, email, sessionId);
  open.push(m);
  await clickJoin(m.page, { media: false });
  await m.page.click('[data-testid=tab-document]');
  return m.page;
}

/** The page is showing sheet `n`: label, canvas drawn with ink on it. */
async function showsPage(page: Page, n: number): Promise<void> {
  await expect.poll(() => page.getAttribute('[data-testid=page-label]', 'data-page'), { timeout: 20_000 }).toBe(String(n));
  await expect.poll(() => page.getAttribute('[data-testid=pdf-viewer]', 'data-rendered-page'), { timeout: 20_000 }).toBe(String(n));
  expect(await inkOf(page, `[data-testid=pdf-canvas][data-page="${n}"]`)).toBeGreaterThan(0.005);
}

const goTo = async (page: Page, n: number) => {
  await page.fill('[data-testid=page-input]', String(n));
  await page.press('[data-testid=page-input]', 'Enter');
};

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  sessionId = await createRemoteSession();
  // The dossier's 2nd document is a 9-sheet A3 plan set; a second dossier follows on the agenda.
  const plans = cachedPlanPdf({ pages: 9, paths: 300, segments: 40, seed: 21, width: 842, height: 1191 });
  [dossier] = await agendaOfDossiers(t.url, sessionId, [{ property_certificate: plans }, {}]);
}, 120_000);

afterAll(async () => {
  for (const m of open) await m.context.close().catch(() => undefined);
  await browser?.close();
  await t?.close();
});

describe('presenter mode in Chromium', () => {
  it('followers render the presenter\'s page, browse freely, come back; a late joiner opens at the presenter\'s page', async () => {
    const chair = await member('chair@ain-draham.tn');
    await chair.click('[data-testid=open-session]');
    await chair.waitForSelector('[data-testid=waiting-room]', { state: 'detached' });
    const architect = await member('architect@ain-draham.tn');
    const engineer = await member('engineer@ain-draham.tn');
    const itemId = (await AgendaItem.findOne({ where: { sessionId, dossierId: dossier.dossierId } }))!.id;
    const plan = dossier.documents[1]!;
    expect(plan.pageCount).toBe(9);

    // The chair opens the item: it is highlighted for everyone; the presenter (the chair) opens document 2.
    await chair.click(`[data-testid=open-item-${itemId}]`);
    for (const p of [chair, architect, engineer]) await expect.poll(() => p.getAttribute(`[data-testid=agenda-item-${itemId}]`, 'data-current')).toBe('true');
    expect(await architect.$(`[data-testid=open-item-${itemId}]`)).toBeNull();
    await chair.click(`[data-testid=document-${plan.versionId}]`);
    await showsPage(chair, 1);

    // Page 7, zoomed in.
    await goTo(chair, 7);
    await showsPage(chair, 7);
    const fitScale = Number(await chair.getAttribute('[data-testid=pdf-viewer]', 'data-rendered-scale'));
    await chair.click('[data-testid=zoom-in]');
    await expect.poll(async () => Number(await chair.getAttribute('[data-testid=pdf-viewer]', 'data-rendered-scale'))).toBeGreaterThan(fitScale);
    const zoom = await chair.inputValue('[data-testid=zoom-select]');
    expect(Number(zoom)).toBeGreaterThan(fitScale);

    for (const follower of [architect, engineer]) {
      await expect.poll(() => follower.getAttribute('[data-testid=pane-document]', 'data-active')).toBe('true');
      await showsPage(follower, 7);
      await expect.poll(() => follower.inputValue('[data-testid=zoom-select]')).toBe(zoom);
      await expect.poll(() => follower.getAttribute('[data-testid=pdf-viewer]', 'data-rendered-scale')).toBe(Number(zoom).toFixed(4));
      expect(await follower.getAttribute('[data-testid=following]', 'data-following')).toBe('true');
    }

    // The presenter's pointer shows on the followers' page.
    const sheet = (await chair.$('.pdf-sheet'))!;
    await sheet.hover({ position: { x: 40, y: 60 } });
    for (const follower of [architect, engineer]) await follower.waitForSelector('[data-testid=presenter-pointer]');

    // The architect browses to page 2 on their own; the presenter moves on to page 8 meanwhile.
    await goTo(architect, 2);
    await showsPage(architect, 2);
    expect(await architect.getAttribute('[data-testid=following]', 'data-following')).toBe('false');
    await goTo(chair, 8);
    await showsPage(chair, 8);
    await showsPage(engineer, 8);
    expect(await architect.getAttribute('[data-testid=page-label]', 'data-page')).toBe('2');

    // Back to the presenter: the presenter's current page.
    await architect.click('[data-testid=back-to-presenter]');
    await showsPage(architect, 8);
    expect(await architect.getAttribute('[data-testid=following]', 'data-following')).toBe('true');
    expect(await architect.$('[data-testid=back-to-presenter]')).toBeNull();

    // A member who joins late opens at the presenter's page, document and zoom.
    const late = await member('steg@ain-draham.tn');
    await showsPage(late, 8);
    expect(await late.inputValue('[data-testid=zoom-select]')).toBe(zoom);
    expect(await late.getAttribute(`[data-testid=document-${plan.versionId}]`, 'aria-current')).toBe('true');

    // The chair hands the presentation to the architect, who starts at the same place and leads from there.
    await chair.selectOption('[data-testid=presenter-select]', String(open[1]!.userId));
    await expect.poll(() => architect.getAttribute('[data-testid=following]', 'data-following')).toBe('false');
    expect(await architect.$('[data-testid=back-to-presenter]')).toBeNull();
    await showsPage(architect, 8);
    await goTo(architect, 3);
    for (const p of [chair, engineer, late]) await showsPage(p, 3);
  });
});
