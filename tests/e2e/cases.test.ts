import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import exifr from 'exifr';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Complaint, ComplaintPhoto, InformationRequest } from '../../db/models';
import { launchBrowser, loginPage } from '../support/browser';
import { ApiClient } from '../support/http';
import { startTestServer, type TestServer } from '../support/server';

let t: TestServer;
let browser: Browser;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lajna-e2e-complaint-'));
  // A phone photo with the camera, the owner's name and the GPS position of where it was taken.
  const jpeg = await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#5a7' } })
    .withExif({ IFD0: { Make: 'PhoneMaker', Artist: 'Amina Hammami' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '36/1 46/1 48/1', GPSLongitudeRef: 'E', GPSLongitude: '8/1 41/1 24/1' } })
    .jpeg().toBuffer();
  fs.writeFileSync(path.join(dir, 'lampadaire.jpg'), jpeg);
  [t, browser] = await Promise.all([startTestServer(), launchBrowser()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a complaint in Chromium', () => {
  it('a citizen on a phone, in Arabic, reports a problem with a photo and a map point; the office resolves it; the citizen sees it resolved', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const citizen = await loginPage(phone, t.url, 'amina@example.tn', 'ar');
    expect(await citizen.getAttribute('html', 'dir')).toBe('rtl');
    await citizen.goto(`${t.url}/portal/complaints`);
    await citizen.click('[data-testid=report-problem]');
    await citizen.waitForURL('**/portal/complaints/new');
    await expect.poll(() => citizen.locator('select[name=category] option').count()).toBe(7);
    await citizen.selectOption('select[name=category]', 'public_lighting');
    await citizen.fill('textarea[name=description]', 'عمود الإنارة أمام المدرسة مطفأ منذ أسبوع.');
    // No point yet: the form asks for one (or an address) before sending anything.
    await citizen.click('[data-testid=new-complaint] button[type=submit]');
    await expect.poll(() => citizen.textContent('[role=alert]')).toBe('اختر نقطة على الخريطة أو اكتب عنوانا.');
    const map = citizen.locator('[data-testid=map]');
    const box = (await map.boundingBox())!;
    // A corner of the map lies outside the municipality: said at once, and the form does not send it.
    await map.tap({ position: { x: 4, y: 4 } });
    await expect.poll(() => citizen.textContent('[data-testid=point-outside]')).toBe('هذه النقطة خارج تراب البلدية: المس المنطقة الخضراء.');
    const before = await Complaint.count();
    await citizen.click('[data-testid=new-complaint] button[type=submit]');
    await expect.poll(() => citizen.textContent('[data-testid=new-complaint] > [role=alert]')).toBe('هذه النقطة خارج تراب البلدية: المس المنطقة الخضراء.');
    expect(await Complaint.count()).toBe(before);
    await map.tap({ position: { x: box.width / 2, y: box.height / 2 } });
    await expect.poll(() => citizen.locator('[data-testid=point-outside]').count()).toBe(0);
    await expect.poll(() => citizen.locator('[data-testid=map-point]').count()).toBe(1);
    expect(await citizen.textContent('[data-testid=point-text]')).toMatch(/^النقطة المختارة: 36\.\d+، 8\.\d+$/);
    await citizen.fill('input[name=neighbourhood]', 'حي النور');
    await citizen.setInputFiles('[data-testid=photos]', path.join(dir, 'lampadaire.jpg'));
    await citizen.click('[data-testid=new-complaint] button[type=submit]');
    await citizen.waitForURL(/\/portal\/complaints\/\d+$/);
    const id = Number(citizen.url().split('/').pop());
    expect(await citizen.textContent('[data-testid=complaint-status]')).toBe('وارد');
    expect(await citizen.textContent('h1')).toContain('التنوير العمومي');
    await expect.poll(() => citizen.locator('[data-testid=complaint-photo]').count()).toBe(1);
    // The photo shows (the browser decoded it), and what the server kept has no EXIF left.
    await expect.poll(() => citizen.$eval('[data-testid=complaint-photo]', (img) => (img as HTMLImageElement).naturalWidth)).toBe(1200);
    const stored = await ComplaintPhoto.findOne({ where: { complaintId: id } });
    const bytes = fs.readFileSync(path.join(t.dataDir, 'documents', stored!.storagePath));
    expect(await exifr.gps(bytes)).toBeUndefined();
    expect(await exifr.parse(bytes, { tiff: true, exif: true, gps: true, xmp: true, iptc: true })).toBeUndefined();
    const saved = await Complaint.findByPk(id);
    expect(saved!.lat).toBeGreaterThan(36.7);
    expect(saved!.lng).toBeGreaterThan(8.6);
    // Nothing sticks out of a phone's width.
    expect(await citizen.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    // The office, on a desktop, in French: the queue, the report, a service, resolved.
    const office = await loginPage(await browser.newContext(), t.url, 'secretary@ain-draham.tn', 'fr');
    await office.goto(`${t.url}/office/complaints`);
    await office.click(`[data-testid=complaints] a[href="/office/complaints/${id}"]`);
    await expect.poll(() => office.textContent('[data-testid=complaint-status]')).toBe('Reçu');
    await office.fill('input[name=service]', 'Service de l’éclairage public');
    await office.click('[data-testid=assign]');
    await expect.poll(() => office.textContent('[data-testid=complaint-status]')).toBe('En cours');
    await office.fill('[data-testid=messages] textarea', 'Une équipe passe jeudi.');
    await office.click('[data-testid=messages] button[type=submit]');
    await expect.poll(() => office.textContent('[data-testid=messages]')).toContain('Une équipe passe jeudi.');
    await office.fill('input[name=note]', 'Lampe remplacée.');
    await office.click('[data-testid=resolve]');
    await expect.poll(() => office.textContent('[data-testid=complaint-status]')).toBe('Résolu');

    // The citizen follows it: resolved, the message and every step in Arabic.
    await citizen.reload();
    await expect.poll(() => citizen.textContent('[data-testid=complaint-status]')).toBe('تمت المعالجة');
    expect(await citizen.textContent('[data-testid=messages]')).toContain('Une équipe passe jeudi.');
    expect(await citizen.locator('[data-testid=complaint-timeline] li').allTextContents()).toEqual([
      expect.stringContaining('تم تلقي الإشعار'), expect.stringContaining('أحيل إلى مصلحة'), expect.stringContaining('تمت معالجة المشكل'),
    ]);
  }, 180_000);
});

describe('a request for information in Chromium', () => {
  it('answered with a PDF within the delay; another left unanswered shows as an implied refusal with the appeals explained', async () => {
    const citizen = await loginPage(await browser.newContext({ viewport: { width: 390, height: 844 } }), t.url, 'youssef@example.tn', 'fr');
    const ask = async (subject: string) => {
      await citizen.goto(`${t.url}/portal/information`);
      await citizen.click('[data-testid=ask-information]');
      await citizen.fill('input[name=subject]', subject);
      await citizen.fill('textarea[name=description]', `Je demande : ${subject}.`);
      await citizen.click('[data-testid=new-information-request] button[type=submit]');
      await citizen.waitForURL(/\/portal\/information\/\d+$/);
      return Number(citizen.url().split('/').pop());
    };
    const answered = await ask('Budget 2026');
    expect(await citizen.textContent('[data-testid=information-status]')).toBe('Reçue');
    expect(await citizen.textContent('[data-testid=clock]')).toContain('20 jours restants (jours calendaires)');

    // The information officer attaches the budget (a PDF) and answers.
    const officer = await loginPage(await browser.newContext(), t.url, 'information@ain-draham.tn', 'fr');
    expect(new URL(officer.url()).pathname).toBe('/office');
    await officer.click(`[data-testid=queue] a[href="/office/information/${answered}"]`);
    await officer.setInputFiles('[data-testid=attach]', '/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf');
    await expect.poll(() => officer.locator('[data-testid=answer-documents] li').count(), { timeout: 30_000 }).toBe(1);
    await officer.fill('input[name=note]', 'Le budget voté est joint.');
    await officer.click('[data-testid=answer]');
    await expect.poll(() => officer.textContent('[data-testid=information-status]')).toBe('Répondue');

    await citizen.goto(`${t.url}/portal/information/${answered}`);
    await expect.poll(() => citizen.textContent('[data-testid=information-status]')).toBe('Répondue');
    expect(await citizen.textContent('[data-testid=clock]')).toContain('Répondue dans le délai légal');
    const link = citizen.locator('[data-testid=answer-documents] a');
    expect(await link.textContent()).toBe('shared-mime-info-spec.pdf');
    const pdf = await citizen.request.get(`${t.url}${await link.getAttribute('href')}`);
    expect(pdf.status()).toBe(200);
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

    // Another, filed 25 days ago and never answered.
    const silent = await ask('Marchés publics 2025');
    await InformationRequest.update({ receivedAt: new Date(Date.now() - 25 * 86_400_000) }, { where: { id: silent } });
    await citizen.reload();
    await expect.poll(() => citizen.textContent('[data-testid=implied-refusal]')).toContain('considère ce silence comme un refus');
    const rights = await citizen.textContent('[data-testid=rights]');
    expect(rights).toMatch(/recours auprès du chef de l’organisme jusqu’au \d{2}\/\d{2}\/\d{4}/);
    expect(rights).toContain('(INAI)');
    await citizen.fill('textarea[name=grounds]', 'Aucune réponse dans le délai légal.');
    await citizen.click('[data-testid=appeal]');
    await expect.poll(() => citizen.textContent('[data-testid=information-status]')).toBe('Recours déposé');
  }, 180_000);
});

describe('one portal, one office', () => {
  it('the applicant\'s home lists her dossiers, requests and complaints together; the office\'s queue filtered by type shows only that type', async () => {
    const amina = await ApiClient.loggedIn(t.url, 'amina@example.tn');
    const request = (await amina.post('/api/information-requests', {
      municipalityId: 1, subject: 'Plan d’aménagement', description: 'Je demande le plan d’aménagement en vigueur.', accessForm: 'electronic_copy',
    })).body;
    const complaint = (await amina.post('/api/complaints', {
      municipalityId: 1, category: 'waste_collection', description: 'Bacs non vidés.', address: 'Rue de la Forêt', neighbourhood: 'Centre',
    })).body;
    const home = await loginPage(await browser.newContext({ viewport: { width: 390, height: 844 } }), t.url, 'amina@example.tn', 'fr');
    await home.goto(`${t.url}/portal`);
    const cards = home.locator('[data-testid=my-cases] li');
    await expect.poll(async () => new Set(await cards.evaluateAll((li) => li.map((l) => l.getAttribute('data-kind')))))
      .toEqual(new Set(['dossier', 'information_request', 'complaint']));
    // The most recently active first: the complaint just filed, then the request.
    expect(await cards.nth(0).textContent()).toContain(complaint.reference);
    expect(await cards.nth(0).textContent()).toContain('Sans délai légal');
    expect(await cards.nth(1).textContent()).toContain('20 jours restants');
    await home.click(`[data-testid=my-cases] a[href="/portal/information/${request.id}"]`);
    await home.waitForURL(`**/portal/information/${request.id}`);
    await home.goBack();
    await home.selectOption('[data-testid=case-kind-filter]', 'complaint');
    // Polled to the filtered list itself: the unfiltered one (which contains a complaint too) stays until the answer comes.
    await expect.poll(async () => new Set(await cards.evaluateAll((li) => li.map((l) => l.getAttribute('data-kind'))))).toEqual(new Set(['complaint']));
    expect(await home.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    const office = await loginPage(await browser.newContext(), t.url, 'admin@ain-draham.tn', 'fr');
    await office.goto(`${t.url}/office`);
    const rows = office.locator('[data-testid=queue] tbody tr');
    const shown = () => rows.evaluateAll((tr) => [...new Set(tr.map((r) => r.getAttribute('data-kind')))].sort());
    await expect.poll(shown).toEqual(['complaint', 'dossier', 'information_request']);
    for (const kind of ['information_request', 'complaint', 'dossier']) {
      await office.selectOption('[data-testid=case-kind-filter]', kind);
      await expect.poll(shown).toEqual([kind]);
    }
    await office.selectOption('[data-testid=status-filter]', 'submitted');
    await expect.poll(() => rows.evaluateAll((tr) => [...new Set(tr.map((r) => r.children[4]!.textContent))])).toEqual(['Déposé']);
  }, 180_000);

  it('an information officer with no other role lands on the access-to-information office: named for the role, the requests, no sessions', async () => {
    const officer = await loginPage(await browser.newContext(), t.url, 'information@ain-draham.tn', 'fr');
    expect(new URL(officer.url()).pathname).toBe('/office');
    await expect.poll(() => officer.textContent('h1')).toBe('Bureau de l’accès à l’information');
    expect(await officer.textContent('h2')).toBe('Demandes d’accès à l’information à traiter');
    // One way to it in the navigation, named for what the officer does (not the committee's secretariat).
    expect(await officer.locator('nav a[href^="/office"]').allTextContents()).toEqual(['Accès à l’information']);
    const rows = officer.locator('[data-testid=queue] tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    expect([...new Set(await rows.evaluateAll((tr) => tr.map((r) => r.getAttribute('data-kind'))))]).toEqual(['information_request']);
    expect(await officer.locator('[data-testid=new-session]').count()).toBe(0);
    expect(await officer.locator('[role=alert]').count()).toBe(0);
    if (process.env.LAJNA_SHOTS) await officer.screenshot({ path: `${process.env.LAJNA_SHOTS}/office-information-officer-fr.png`, fullPage: true });
  }, 120_000);
});
