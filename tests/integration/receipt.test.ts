import crypto from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DossierEvent } from '../../db/models';
import { formatDateTime } from '../../protocol/municipalTime';
import { ApiClient } from '../support/http';
import { pdfText } from '../support/pdfText';
import { startTestServer, type TestServer } from '../support/server';

// A real PDF nobody on the team wrote (Debian documentation).
const REAL_PDF = '/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf';
const REQUIRED = ['signed_request', 'property_certificate', 'tax_receipts', 'topographic_survey', 'architect_plans'];
const ADDRESS = 'نهج الصنوبر 17، عين دراهم';
// One Arabic file name per item, and a French one: each must come back shaped and whole.
const FILE_NAMES: Record<string, string> = {
  signed_request: 'مطلب ممضى.pdf',
  property_certificate: 'شهادة الملكية.pdf',
  tax_receipts: 'quittances-2026.pdf',
  topographic_survey: 'رفع طوبوغرافي.pdf',
  architect_plans: 'أمثلة المهندس.pdf',
};

let t: TestServer;
let amina: ApiClient;
let dossier: any;
let receipt: { status: number; headers: Headers; body: Buffer };
let text: string;
const sha = crypto.createHash('sha256').update(fs.readFileSync(REAL_PDF)).digest('hex');

beforeAll(async () => {
  t = await startTestServer();
  amina = await ApiClient.loggedIn(t.url, 'amina@example.tn');
  const d = (await amina.post('/api/dossiers', {
    municipalityId: 1, typeCode: 'new_building', location: { address: ADDRESS, parcelRef: 'TF 777/Jendouba' },
    coveredAreaM2: 140, levels: 2, nearProtectedSite: false,
  })).body;
  for (const item of REQUIRED) {
    const form = new FormData();
    form.append('file', new Blob([fs.readFileSync(REAL_PDF)], { type: 'application/pdf' }), FILE_NAMES[item]);
    expect((await amina.request('PUT', `/api/dossiers/${d.id}/documents/${item}`, { raw: form })).status).toBe(201);
  }
  dossier = (await amina.post(`/api/dossiers/${d.id}/submit`)).body;
  receipt = await amina.get(`/api/dossiers/${d.id}/receipt`);
  text = pdfText(receipt.body);
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('the submission receipt', () => {
  it('downloads as a PDF attachment named after the reference', () => {
    expect(receipt.status).toBe(200);
    expect(receipt.headers.get('content-type')).toBe('application/pdf');
    expect(receipt.headers.get('content-disposition')).toBe(`attachment; filename="recu-${dossier.reference}.pdf"`);
    expect(receipt.body.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('prints the Arabic address and file names shaped (their letters come back), not WinAnsi garbage', () => {
    // pdftotext splits some Arabic words at a ligature (مل كية): compared without spaces.
    const letters = text.replace(/ /g, '');
    expect(letters).toContain('نهجالصنوبر');
    expect(letters).toContain('عيندراهم');
    for (const name of Object.values(FILE_NAMES)) expect(letters).toContain(name.replace('.pdf', '').replace(/ /g, ''));
    expect(text).not.toMatch(/dfGb|Â|Ù|Ø/);
  });

  it('is in Arabic and in French', () => {
    expect(text).toContain('Récépissé de dépôt');
    expect(text).toContain('وصل إيداع مطلب رخصة بناء');
    expect(text).toContain('Demandeur');
    expect(text).toContain('صاحب المطلب');
    expect(text).toContain('Amina Hammami');
    expect(text).toContain('أمينة الحمامي');
  });

  it('gives the reference, every document by its checklist item with its sha256', () => {
    expect(text).toContain(dossier.reference);
    expect(text.split(sha).length - 1).toBe(REQUIRED.length);
    for (const label of ['Demande signée', 'Certificat de propriété de moins de 3 mois', 'Levé topographique']) expect(text).toContain(label);
    expect(text.replace(/ /g, '')).toContain('شهادةملكية');
  });

  it('gives the filing time in Tunis, the zone named, never UTC', async () => {
    const submitted = await DossierEvent.findOne({ where: { dossierId: dossier.id, action: 'submit' } });
    expect(text).toContain(formatDateTime(submitted!.at));
    expect(text).toContain('heure de Tunis');
    expect(text).toContain('بتوقيت تونس');
    expect(text).not.toMatch(/UTC|Z\b/);
  });

  it('gives the same bytes when downloaded again (the applicant can compare copies)', async () => {
    const again = await amina.get(`/api/dossiers/${dossier.id}/receipt`);
    expect(Buffer.compare(again.body, receipt.body)).toBe(0);
  });

  it('is refused (409) for a draft and (404) to another applicant', async () => {
    const draft = (await amina.post('/api/dossiers', {
      municipalityId: 1, typeCode: 'new_building', location: { address: ADDRESS, parcelRef: 'TF 1' }, coveredAreaM2: 90, levels: 1, nearProtectedSite: false,
    })).body;
    const early = await amina.get(`/api/dossiers/${draft.id}/receipt`);
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('invalid_transition');
    const youssef = await ApiClient.loggedIn(t.url, 'youssef@example.tn');
    expect((await youssef.get(`/api/dossiers/${dossier.id}/receipt`)).status).toBe(404);
  });
});
