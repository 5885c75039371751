import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DossierMessage } from '../../db/models';
import { ApiClient } from '../support/http';
import { startTestServer, type TestServer } from '../support/server';

const PDF = '/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf';
const REQUIRED = ['signed_request', 'property_certificate', 'tax_receipts', 'topographic_survey', 'architect_plans'];
const SHA = crypto.createHash('sha256').update(fs.readFileSync(PDF)).digest('hex');
const RLO = '\u202E', PDI = '\u2069', RLI = '\u2067';

let t: TestServer;
let amina: ApiClient;
beforeAll(async () => {
  t = await startTestServer();
  amina = await ApiClient.loggedIn(t.url, 'amina@example.tn');
});
afterAll(() => t.close());

function upload(dossierId: number, item: string, name: string) {
  const form = new FormData();
  form.append('file', new Blob([fs.readFileSync(PDF)], { type: 'application/pdf' }), name);
  return amina.request('PUT', `/api/dossiers/${dossierId}/documents/${item}`, { raw: form });
}

const newDossier = async () => (await amina.post('/api/dossiers', {
  municipalityId: 1, typeCode: 'new_building', location: { address: 'Rue de la Source 5', parcelRef: 'TF 1' }, coveredAreaM2: 180, levels: 2, nearProtectedSite: false,
})).body;

describe('text that cannot lie', () => {
  it('keeps an Arabic file name exactly as the browser sent it (UTF-8), in the upload answer and the version', async () => {
    const d = await newDossier();
    const name = 'مخطط الطابق الأرضي – نسخة ٢.pdf';
    const up = await upload(d.id, 'architect_plans', name);
    expect(up.status).toBe(201);
    expect(up.body.fileName).toBe(name);
    expect((await amina.get(`/api/documents/versions/${up.body.id}`)).body.fileName).toBe(name);
  });

  it('strips bidi controls from a file name, so it cannot reverse the sha256 printed under it in the receipt', async () => {
    const d = await newDossier();
    // Displayed raw, this reads "plan" then the override turns everything after it (the sha256 line of a naive layout too) around.
    const hostile = `plan${RLO}fdp.exe`;
    for (const item of REQUIRED) expect((await upload(d.id, item, item === 'architect_plans' ? hostile : 'doc.pdf')).status).toBe(201);
    const versions = (await amina.get(`/api/dossiers/${d.id}/documents`)).body as { itemCode: string; currentVersion: { fileName: string } }[];
    expect(versions.find((v) => v.itemCode === 'architect_plans')!.currentVersion.fileName).toBe('planfdp.exe');
    expect((await amina.post(`/api/dossiers/${d.id}/submit`)).status).toBe(200);

    const receipt = await amina.get(`/api/dossiers/${d.id}/receipt`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lajna-receipt-'));
    try {
      fs.writeFileSync(path.join(dir, 'r.pdf'), receipt.body);
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', path.join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
      // pdftotext marks Arabic runs with RLE … PDF itself; no override nor isolate may come from the name.
      expect(text).not.toMatch(/[\u202D\u202E\u2066-\u2069]/);
      const lines = text.split('\n');
      const at = lines.findIndex((l) => l.includes('planfdp.exe'));
      expect(at).toBeGreaterThan(-1);
      expect(lines.slice(at, at + 8).join(' ')).toContain(`sha256 ${SHA}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stores a message without its bidi controls (what the office reads is what was typed, in order)', async () => {
    const d = await newDossier();
    const res = await amina.post(`/api/dossiers/${d.id}/messages`, { body: `Le reçu ${RLI}dit${PDI} ${RLO}4f2a` });
    expect(res.status).toBe(201);
    const stored = await DossierMessage.findOne({ where: { dossierId: d.id }, order: [['id', 'DESC']] });
    expect(stored!.body).toBe('Le reçu dit 4f2a');
  });
});
