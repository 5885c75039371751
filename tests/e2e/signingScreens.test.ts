import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Arrete, SigningCertificate } from '../../db/models';
import { axeFindings } from '../support/axe';
import { launchBrowser, loginPage } from '../support/browser';
import { ApiClient } from '../support/http';
import { scriptedMinutesSession, type ScriptedMinutesSession } from '../support/minutesSession';
import { startTestServer, type TestServer } from '../support/server';

/**
 * The signing screens in Chromium, on a phone: the admin's certificates (the signers listed, the
 * CA certificate to download, a PKCS#12 imported for the secretary, each refusal named beside its
 * field), and the president's arrêtés to sign, signed through the signing screen with their
 * password. In French and Arabic; axe-core finds nothing serious.
 */
const SHOTS = path.resolve('.tmp/screenshots');
let t: TestServer;
let browser: Browser;
let script: ScriptedMinutesSession;
let dir: string;

const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  fs.mkdirSync(SHOTS, { recursive: true });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lajna-e2e-p12-'));
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '30', '-subj', '/C=TN/O=TunTrust test/CN=Test TunTrust CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  fs.writeFileSync(path.join(dir, 'signing.ext'), 'keyUsage = critical, digitalSignature, nonRepudiation\n');
  for (const [name, days] of [['salma', '30'], ['expired', '-1']] as const) {
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/C=TN/O=Commune de Ain Draham/CN=Salma Jendoubi ${name}`);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', days, '-extfile', 'signing.ext');
    openssl('pkcs12', '-export', '-inkey', `${name}.key`, '-in', `${name}.pem`, '-certfile', 'ca.pem', '-out', `${name}.p12`, '-passout', 'pass:pin-1234');
  }
  script = await scriptedMinutesSession(t.url);
  script.disconnect();
  const office = await ApiClient.loggedIn(t.url, 'secretary@ain-draham.tn');
  for (const [i, d] of script.dossiers.entries()) {
    expect((await office.post(`/api/dossiers/${d.dossierId}/decision`, { outcome: 'granted', arreteNumber: `2026/20${i}`, signedOn: '2026-12-02' })).status).toBe(201);
  }
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function phonePage(email: string, locale: 'ar' | 'fr', at: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await loginPage(context, t.url, email, locale);
  await page.goto(`${t.url}${at}`);
  return page;
}

describe('signing screens in Chromium', () => {
  it.each([
    ['fr', 'expired', 'a expiré', 'incorrect', 'importé (PKCS#12)'],
    ['ar', 'salma', 'انتهت صلاحية', 'غير صحيحة', 'مستوردة (PKCS#12)'],
  ] as const)('the admin (%s) sees the signers and the CA link; a bad file or password is named beside its field; an import is listed', async (locale, file, expiredText, wrongPassword, imported) => {
    const page = await phonePage('admin@ain-draham.tn', locale, '/office');
    const card = page.locator('[data-testid=signing-certificates]');
    await card.waitFor();
    expect(await card.locator('[data-testid^=signer-]').count()).toBe(2);
    expect(await card.locator('[data-testid=ca-download]').getAttribute('href')).toBe('/api/signing/ca/ADR');
    const secretaryOption = card.locator('[data-testid=import-signer] option', { hasText: locale === 'ar' ? 'سلمى الجندوبي' : 'Salma Jendoubi' });
    await card.locator('[data-testid=import-signer]').selectOption(await secretaryOption.getAttribute('value'));
    const before = await SigningCertificate.count();

    if (locale === 'fr') {
      await card.locator('[data-testid=import-file]').setInputFiles(path.join(dir, 'expired.p12'));
      await card.locator('[data-testid=import-password]').fill('pin-1234');
      await card.locator('[data-testid=import-submit]').click();
      await expect.poll(() => card.locator('[data-testid=import-file-error]').textContent()).toContain(expiredText);
      expect(await card.locator('[data-testid=import-file]').getAttribute('aria-invalid')).toBe('true');
    }
    await card.locator('[data-testid=import-file]').setInputFiles(path.join(dir, `${file === 'expired' ? 'salma' : file}.p12`));
    // The file field speaks the page's language and names the chosen file (not Chromium's 'Choose File').
    expect(await card.locator('[data-testid=file-chosen]').textContent()).toBe(`${file === 'expired' ? 'salma' : file}.p12`);
    expect(await card.locator('.file-picker label').textContent()).toBe(locale === 'ar' ? 'اختيار ملف' : 'Choisir un fichier');
    await card.locator('[data-testid=import-password]').fill('pin-0000');
    await card.locator('[data-testid=import-submit]').click();
    await expect.poll(() => card.locator('[data-testid=import-password-error]').textContent()).toContain(wrongPassword);
    expect(await card.locator('[data-testid=import-file-error]').count()).toBe(0);
    expect(await SigningCertificate.count()).toBe(before);
    expect(await axeFindings(page)).toEqual([]);
    await card.screenshot({ path: path.join(SHOTS, `certificates-errors-${locale}-phone.png`) });

    if (locale === 'fr') {
      await card.locator('[data-testid=import-file]').setInputFiles(path.join(dir, 'salma.p12'));
      await card.locator('[data-testid=import-password]').fill('pin-1234');
      await card.locator('[data-testid=import-submit]').click();
      await card.locator('[data-testid=import-done]').waitFor();
      expect(await SigningCertificate.count()).toBe(before + 1);
    }
    const row = card.locator('[data-testid=certificate][data-source=pkcs12]');
    await row.waitFor();
    expect(await row.textContent()).toContain(imported);
    expect(await axeFindings(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await card.screenshot({ path: path.join(SHOTS, `certificates-${locale}-phone.png`) });
    await page.context().close();
  }, 120_000);

  it.each([
    ['ar', 0, 2],
    ['fr', 1, 1],
  ] as const)('the president (%s) signs an arrêté from their list, through the signing screen with their password', async (locale, n, waiting) => {
    const { dossierId } = script.dossiers[n]!;
    const page = await phonePage('chair@ain-draham.tn', locale, '/meeting');
    const list = page.locator('[data-testid=arretes-to-sign]');
    await list.waitFor();
    await expect.poll(() => list.locator('[data-testid^=arrete-to-sign-]').count()).toBe(waiting);
    expect(await axeFindings(page)).toEqual([]);
    await list.screenshot({ path: path.join(SHOTS, `arretes-to-sign-${locale}-phone.png`) });

    await list.locator(`[data-testid=open-arrete-${dossierId}]`).click();
    const screen = list.locator('[data-testid=signing-screen]');
    await screen.waitFor();
    await expect.poll(() => screen.locator('[data-testid=signing-viewer]').getAttribute('data-drawn-page'), { timeout: 30_000 }).not.toBe('0');
    await screen.locator('[data-testid=sign-password]').fill('wrong-password');
    await screen.locator('[data-testid=sign-arrete]').click();
    await list.locator('[data-testid=arrete-error]').waitFor();
    expect(await list.locator('[data-testid=arrete-error]').textContent()).toContain(locale === 'ar' ? 'كلمة العبور غير صحيحة' : 'Mot de passe incorrect');
    expect((await Arrete.findOne({ where: { signedAt: null }, order: [['id', 'ASC']] }))).not.toBeNull();
    expect(await axeFindings(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, `arrete-signing-${locale}-phone.png`), fullPage: true });

    await screen.locator('[data-testid=sign-password]').fill('lajna-demo');
    await screen.locator('[data-testid=sign-arrete]').click();
    await list.locator('[data-testid=arrete-signed-now]').waitFor({ timeout: 60_000 });
    await expect.poll(() => list.locator('[data-testid^=arrete-to-sign-]').count()).toBe(waiting - 1);
    const view = (await (await ApiClient.loggedIn(t.url, 'amina@example.tn')).get(`/api/arretes/${dossierId}`)).body;
    expect(view).toMatchObject({ signed: true, signedBy: { nameFr: 'Mohamed Hédi Ayari' } });
    expect(await axeFindings(page)).toEqual([]);
    await list.screenshot({ path: path.join(SHOTS, `arretes-signed-${locale}-phone.png`) });
    await page.context().close();
  }, 180_000);
});
