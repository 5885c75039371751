import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Markup } from '../../protocol/markups';
import type { ClosedVoteView } from '../../protocol/voting';
import { sessionWithOneDossier, type ExaminedDossier } from '../support/agenda';
import { launchBrowser, loginPage } from '../support/browser';
import { memberInRoom, type MeetingPage } from '../support/meeting';
import { joinedSocket, meetingData, openSession, type MeetingClient } from '../support/meetingSocket';
import { startTestServer, type TestServer } from '../support/server';

let t: TestServer;
let browser: Browser;
let dossier: ExaminedDossier;
const sockets: MeetingClient[] = [];
let chairPage: MeetingPage | undefined;
const shots = process.env.LAJNA_SCREENSHOTS;

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  const { sessionId, dossier: d, itemId } = await sessionWithOneDossier(t.url);
  dossier = d;
  const joined = async (email: string) => (await joinedSocket(t.url, email, sessionId, sockets)).socket;
  // The meeting through the real socket protocol: the chair presents the plan and draws on it.
  const chair = await joined('chair@ain-draham.tn');
  await openSession(chair);
  const voters = [await joined('architect@ain-draham.tn'), await joined('engineer@ain-draham.tn')];
  const plan = dossier.documents[4]!;
  await meetingData(chair, 'openItem', { agendaItemId: itemId });
  await meetingData(chair, 'present', { view: { versionId: plan.versionId, page: 1, zoom: { mode: 'fit-width' }, rotation: 0, scroll: { x: 0.5, y: 0.5 } } });
  const cloud = await meetingData<Markup>(chair, 'markupCreate', { versionId: plan.versionId, page: 1, kind: 'cloud', color: 'red', points: [[150, 450], [450, 650]] });
  expect(cloud.number).toBe(1);
  // The chair opens the vote in the room, citing the markup with its chip.
  chairPage = await memberInRoom(browser, t.url, 'chair@ain-draham.tn', sessionId, { locale: 'fr' });
  const p = chairPage.page;
  await p.click('[data-testid=tab-vote]');
  await p.fill('[data-testid=open-vote-conditions]', 'Reculer le mur est à 5 m de la route, voir');
  await p.click('[data-testid=cite-markup-1]');
  expect(await p.getAttribute('[data-testid=cite-markup-1]', 'aria-pressed')).toBe('true');
  expect(await p.inputValue('[data-testid=open-vote-conditions]')).toBe('Reculer le mur est à 5 m de la route, voir annotation 1');
  await p.click('[data-testid=open-vote]');
  await p.waitForSelector('[data-testid=open-vote-card] [data-testid=vote-markup-link]');
  const vote = { id: Number(await p.getAttribute('[data-testid=open-vote-card]', 'data-vote-id')) };
  if (shots) await p.screenshot({ path: `${shots}/markup-conditions-vote-fr.png` });
  for (const s of [chair, ...voters]) await meetingData(s, 'castBallot', { voteId: vote.id, choice: 'favourable_with_conditions' });
  const closed = await meetingData<ClosedVoteView>(chair, 'closeVote', { voteId: vote.id, reasons: '' });
  expect(closed.markups.map((m) => m.number)).toEqual([1]);
}, 180_000);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await chairPage?.context.close().catch(() => undefined);
  await browser?.close();
  await t?.close();
});

async function dossierPage(locale: 'ar' | 'fr', viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  const page = await loginPage(context, t.url, 'amina@example.tn', locale);
  await page.goto(`${t.url}/portal/dossiers/${dossier.dossierId}`);
  await page.waitForSelector('[data-testid=cited-markups]');
  return page;
}

describe('conditions that cite a markup, on the applicant\'s dossier page (Chromium)', () => {
  it.each([
    ['fr', { width: 1280, height: 900 }, 'annotation 1 — nuage, page 1'],
    ['ar', { width: 1280, height: 900 }, 'العلامة 1 — سحابة، الصفحة 1'],
    ['fr', { width: 390, height: 844 }, 'annotation 1 — nuage, page 1'],
  ] as const)('%s at %o: the condition links to the marked-up page, which is loaded', async (locale, viewport, line) => {
    const page = await dossierPage(locale, viewport);
    expect(await page.textContent('[data-testid=opinion-conditions]')).toContain('Reculer le mur est à 5 m de la route, voir annotation 1');
    const link = page.locator('[data-testid=condition-markup-link]');
    expect(await link.textContent()).toBe('annotation 1');
    expect(await page.textContent('[data-testid=cited-markup]')).toContain(line);
    const image = page.locator('[data-testid=marked-page-image]');
    await image.scrollIntoViewIfNeeded();
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 30_000 }).toBeGreaterThan(0);
    // An A4 page at 1,400 px on its long side.
    expect(await image.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight])).toEqual([990, 1400]);
    // Following the link brings the page into view and gives it focus.
    await page.evaluate(() => window.scrollTo(0, 0));
    await link.click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('marked-page');
    if (shots) await page.screenshot({ path: `${shots}/markup-conditions-${locale}-${viewport.width}.png`, fullPage: true });
    await page.context().close();
  });
});
