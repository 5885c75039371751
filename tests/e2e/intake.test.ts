import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import type { Browser, Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, loginPage } from '../support/browser';
import { startTestServer, type TestServer } from '../support/server';

// PDFs nobody on the team wrote (Debian documentation), plus generated ones.
const DEBIAN_PDFS = ['/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf', '/usr/share/doc/libtasn1-doc/libtasn1.pdf'];

let t: TestServer;
let browser: Browser;
let smtp: SMTPServer;
let dir: string;
const mails: { to: string; raw: string }[] = [];

function generatedPdf(name: string, pages: number): Promise<string> {
  const file = path.join(dir, name);
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A3', layout: 'landscape' });
    doc.pipe(fs.createWriteStream(file)).on('finish', () => resolve(file)).on('error', reject);
    for (let p = 0; p < pages; p++) {
      if (p) doc.addPage();
      doc.fontSize(24).text(`${name} — page ${p + 1}`);
      for (let i = 0; i < 40; i++) doc.rect(60 + i * 20, 120 + (i % 7) * 30, 300, 180).stroke();
    }
    doc.end();
  });
}

async function uploadItem(page: Page, item: string, file: string, versions: number) {
  await page.setInputFiles(`[data-upload=${item}]`, file);
  await expect.poll(() => page.locator(`[data-item=${item}] details summary`).textContent(), { timeout: 15_000 }).toContain(`(${versions})`);
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lajna-e2e-'));
  smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString('latin1')));
      stream.on('end', () => {
        for (const r of session.envelope.rcptTo) mails.push({ to: r.address, raw });
        callback();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  const smtpPort = (smtp.server.address() as net.AddressInfo).port;
  [t, browser] = await Promise.all([
    startTestServer((c) => {
      c.smtp.host = '127.0.0.1';
      c.smtp.port = smtpPort;
    }),
    launchBrowser(),
  ]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
  await new Promise<void>((r) => smtp.close(() => r()));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('intake in Chromium', () => {
  it('applicant submits, secretary requests a document, applicant answers, secretary completes and schedules, a member sees it, the invite arrives', async () => {
    const plans = await generatedPdf('plans.pdf', 6);
    const survey = await generatedPdf('survey.pdf', 2);
    const survey2 = await generatedPdf('survey-v2.pdf', 3);

    // Applicant, on a phone-sized screen.
    const applicantCtx = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const applicant = await loginPage(applicantCtx, t.url, 'amina@example.tn');
    await applicant.goto(`${t.url}/portal`);
    await applicant.click('details summary');
    await applicant.selectOption('[data-testid=new-dossier] select[name=typeCode]', 'new_building');
    await applicant.fill('input[name=address]', 'Rue des Pins 9, Aïn Draham');
    await applicant.fill('input[name=parcelRef]', 'TF 4242/Jendouba');
    await applicant.fill('input[name=coveredAreaM2]', '210');
    await applicant.fill('input[name=levels]', '2');
    await applicant.click('[data-testid=new-dossier] button[type=submit]');
    await applicant.waitForURL('**/portal/dossiers/*');
    const dossierId = Number(applicant.url().split('/').pop());
    expect(await applicant.textContent('[data-testid=status]')).toBe('Brouillon');

    await uploadItem(applicant, 'signed_request', DEBIAN_PDFS[0]!, 1);
    await uploadItem(applicant, 'property_certificate', DEBIAN_PDFS[1]!, 1);
    await uploadItem(applicant, 'tax_receipts', DEBIAN_PDFS[0]!, 1);
    await uploadItem(applicant, 'topographic_survey', survey, 1);
    await uploadItem(applicant, 'architect_plans', plans, 1);
    // (A refused file said in its item, the percentage, the submit's confirmation: tests/e2e/walk.test.ts.)
    // While a file goes up it can be cancelled; cancelling says so and keeps nothing.
    await applicant.route('**/documents/property_certificate', async (route) => { await new Promise((r) => setTimeout(r, 3000)); await route.continue().catch(() => undefined); });
    await applicant.setInputFiles('[data-upload=property_certificate]', plans);
    await applicant.click('[data-item=property_certificate] [data-testid=upload-cancel]');
    await expect.poll(() => applicant.locator('[data-item=property_certificate] [data-testid=upload-error]').textContent()).toContain('annulé');
    await applicant.unroute('**/documents/property_certificate');
    expect(await applicant.locator('[data-item=property_certificate] details summary').textContent()).toContain('(1)');

    await applicant.click('[data-testid=submit]');
    await applicant.click('[data-testid=submit-yes]');
    await expect.poll(() => applicant.textContent('[data-testid=status]')).toBe('Déposé');
    const reference = (await applicant.textContent('h1'))!.split(' — ')[0]!;
    expect(reference).toMatch(/^ADR-\d{4}-\d{4}$/);
    expect(await applicant.getAttribute('[data-testid=receipt]', 'href')).toBe(`/api/dossiers/${dossierId}/receipt`);

    // Secretary asks for the survey again.
    const officeCtx = await browser.newContext();
    const office = await loginPage(officeCtx, t.url, 'secretary@ain-draham.tn');
    await office.goto(`${t.url}/office/dossiers/${dossierId}`);
    await office.check('[data-item=topographic_survey] input[type=checkbox]');
    await office.fill('[data-testid=request-message]', 'Le levé topographique doit être coté.');
    await office.click('[data-testid=request-documents]');
    await expect.poll(() => office.textContent('[data-testid=status]')).toBe('Incomplet');
    expect(await office.textContent('[data-testid=deadline]')).toContain('commence');

    // The applicant sees the request, uploads a new version and sends the dossier back.
    await applicant.reload();
    await expect.poll(() => applicant.textContent('[data-testid=messages]')).toContain('Le levé topographique doit être coté.');
    // The applicant answers in the thread: the message shows at once, without a reload.
    await applicant.fill('[data-testid=messages] textarea', 'Le nouveau levé coté suit.');
    await applicant.click('[data-testid=messages] button[type=submit]');
    await expect.poll(() => applicant.textContent('[data-testid=messages]')).toContain('Le nouveau levé coté suit.');
    expect(await applicant.inputValue('[data-testid=messages] textarea')).toBe('');
    // The document asked for stands out, named in the timeline by its checklist name; it is back in order once replaced.
    expect(await applicant.getAttribute('[data-item=topographic_survey]', 'data-requested')).toBe('true');
    expect(await applicant.textContent('[data-item=topographic_survey] [data-testid=item-state]')).toBe('Demandée par le secrétariat');
    expect(await applicant.getAttribute('[data-item=tax_receipts]', 'data-requested')).toBeNull();
    expect(await applicant.textContent('[data-testid=timeline-items]')).toBe('Levé topographique');
    await uploadItem(applicant, 'topographic_survey', survey2, 2);
    await expect.poll(() => applicant.textContent('[data-item=topographic_survey] [data-testid=item-state]')).toBe('Déposé');
    await applicant.click('[data-testid=submit]');
    await applicant.click('[data-testid=submit-yes]');
    await expect.poll(() => applicant.textContent('[data-testid=status]')).toBe('Déposé');

    // Secretary marks it complete (the 45-day clock starts) and puts it on a new session's agenda.
    await office.reload();
    await expect.poll(() => office.textContent('[data-testid=messages]')).toContain('Le nouveau levé coté suit.');
    await office.click('[data-testid=mark-complete]');
    await expect.poll(() => office.textContent('[data-testid=status]')).toBe('Complet');
    expect(await office.textContent('[data-testid=deadline]')).toContain('45 jours restants');
    await office.goto(`${t.url}/office`);
    await office.click('text=Nouvelle séance');
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await office.fill('[data-testid=new-session] input[name=date]', tomorrow);
    await office.fill('[data-testid=new-session] input[name=time]', '10:30');
    await office.click('[data-testid=new-session] button[type=submit]');
    // The new session, at the hour typed in the municipality's time (the demo data has another one).
    const planned = office.locator('article[data-session]', { hasText: '10:30' });
    await planned.locator(`input[data-reference="${reference}"]`).check();
    await planned.locator('[data-testid=save-agenda]').click();
    await expect.poll(() => planned.locator(`input[data-reference="${reference}"]`).isChecked()).toBe(true);
    await expect.poll(() => planned.locator('[data-testid=convene]').isEnabled()).toBe(true);
    // (What the page says once convened, and convening twice: tests/e2e/walk.test.ts.)
    await planned.locator('[data-testid=convene]').click();
    await expect.poll(() => planned.locator('[data-testid=convened]').textContent()).toContain('8');
    await officeCtx.close();
    await applicantCtx.close();

    // A member sees the session with the dossier and its documents.
    const memberCtx = await browser.newContext();
    const member = await loginPage(memberCtx, t.url, 'architect@ain-draham.tn');
    await member.goto(`${t.url}/meeting`);
    const item = member.locator(`li[data-reference="${reference}"]`);
    await expect.poll(() => item.textContent()).toContain('Rue des Pins 9');
    expect(await item.locator('a').count()).toBe(5);
    const session = member.locator('article[data-session]', { has: item });
    expect(await session.locator('[data-testid=join]').getAttribute('href')).toMatch(/^\/meeting\/\d+$/);
    await memberCtx.close();

    // The outbox worker delivers the invite to the local SMTP server.
    await expect.poll(() => mails.some((m) => m.to === 'architect@ain-draham.tn'), { timeout: 20_000 }).toBe(true);
    const raw = mails.find((m) => m.to === 'architect@ain-draham.tn')!.raw;
    expect(raw).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=REQUEST/i);
    const at = raw.search(/^Content-Type: text\/calendar/im);
    const headEnd = raw.indexOf('\r\n\r\n', at);
    const encoded = raw.slice(headEnd + 4, raw.indexOf('\r\n--', headEnd));
    const ics = /base64/i.test(raw.slice(at, headEnd)) ? Buffer.from(encoded, 'base64').toString('utf8') : encoded.replace(/=\r\n/g, '');
    const lines = ics.replace(/\r\n /g, '').split('\r\n');
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines).toContain('METHOD:REQUEST');
    expect(lines.some((l) => /^DTSTART:\d{8}T\d{6}Z$/.test(l))).toBe(true);
    expect(lines.find((l) => l.startsWith('DESCRIPTION:'))).toContain(reference);
    expect(lines.filter((l) => l.startsWith('ATTENDEE;')).length).toBe(8);
  });
});
