import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentVersion, OutboxMessage } from '../../db/models';
import { ApiClient } from '../support/http';
import { freePort, Mailbox } from '../support/mailbox';
import { startTestServer, type TestServer } from '../support/server';

// Real PDFs nobody on the team wrote (Debian documentation), and broken ones made from them.
const REAL_PDF = '/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf';
const BIG_PDF = '/usr/share/doc/libtasn1-doc/libtasn1.pdf';
const LIMIT = 200 * 1024; // BIG_PDF (257 KiB) is over it
const REQUIRED = ['signed_request', 'property_certificate', 'tax_receipts', 'topographic_survey', 'architect_plans'];

let t: TestServer;
let fixtures: string;
let smtpPort: number;
let smtp: Mailbox | undefined;
let amina: ApiClient, youssef: ApiClient, secretary: ApiClient, secretaryTbk: ApiClient, architect: ApiClient;

const file = (name: string) => path.join(fixtures, name);
const sha = (p: string) => crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');

function upload(client: ApiClient, dossierId: number, item: string, filePath: string, name = path.basename(filePath)) {
  const form = new FormData();
  form.append('file', new Blob([fs.readFileSync(filePath)], { type: 'application/pdf' }), name);
  return client.request('PUT', `/api/dossiers/${dossierId}/documents/${item}`, { raw: form });
}

const newDossier = (client: ApiClient, area = 180) => client.post('/api/dossiers', {
  municipalityId: 1, typeCode: 'new_building',
  location: { address: 'Rue de la Source 5, Aïn Draham', parcelRef: 'TF 777/Jendouba', lat: 36.78, lng: 8.69 },
  coveredAreaM2: area, levels: 2, nearProtectedSite: false,
});

async function submittedDossier(client: ApiClient): Promise<any> {
  const d = (await newDossier(client)).body;
  for (const item of REQUIRED) expect((await upload(client, d.id, item, REAL_PDF)).status).toBe(201);
  const res = await client.post(`/api/dossiers/${d.id}/submit`);
  expect(res.status).toBe(200);
  return res.body;
}

/** Every file the document store holds (content and temporary uploads). */
function storedFiles(): string[] {
  const root = path.join(t.dataDir, 'documents');
  return fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

beforeAll(async () => {
  fixtures = fs.mkdtempSync(path.join(os.tmpdir(), 'lajna-pdf-'));
  fs.copyFileSync(REAL_PDF, file('plan.pdf'));
  fs.writeFileSync(file('notes.pdf'), 'These are my notes, not a PDF at all.\n');
  fs.writeFileSync(file('truncated.pdf'), fs.readFileSync(REAL_PDF).subarray(0, 20_000));
  fs.writeFileSync(file('empty.pdf'), '');
  execFileSync('qpdf', ['--encrypt', 'user-pw', 'owner-pw', '256', '--', REAL_PDF, file('encrypted.pdf')]);
  execFileSync('qpdf', ['--encrypt', '', 'owner-pw', '256', '--', REAL_PDF, file('restricted.pdf')]);
  smtpPort = await freePort();
  t = await startTestServer((c) => {
    c.uploadMaxBytes = LIMIT;
    c.smtp.host = '127.0.0.1';
    c.smtp.port = smtpPort;
  });
  [amina, youssef, secretary, secretaryTbk, architect] = await Promise.all(
    ['amina@example.tn', 'youssef@example.tn', 'secretary@ain-draham.tn', 'secretary@tabarka.tn', 'architect@ain-draham.tn'].map((e) => ApiClient.loggedIn(t.url, e)),
  );
}, 60_000);

afterAll(async () => {
  await t?.close();
  await smtp?.close();
  fs.rmSync(fixtures, { recursive: true, force: true });
});

describe('dossier types and checklist', () => {
  it('lists the seeded types with their checklist; the energy study only above 500 m²', async () => {
    const types = (await amina.get('/api/dossiers/types?municipalityId=1')).body;
    expect(types.map((x: any) => x.code)).toEqual(['new_building', 'extension', 'restoration', 'demolition']);
    expect(types[0].checklist.map((c: any) => c.code)).toEqual([...REQUIRED, 'energy_study']);
    const small = (await newDossier(amina, 180)).body;
    const large = (await newDossier(amina, 800)).body;
    expect(small.checklist.find((c: any) => c.code === 'energy_study').required).toBe(false);
    expect(large.checklist.find((c: any) => c.code === 'energy_study').required).toBe(true);
  });

  it('refuses a dossier of an unknown type or shape with 400 and creates nothing', async () => {
    const before = (await amina.get('/api/dossiers')).body.length;
    const res = await amina.post('/api/dossiers', { municipalityId: 1, typeCode: 'castle', location: { address: 'x', parcelRef: 'y' }, coveredAreaM2: 10, levels: 1, nearProtectedSite: false });
    expect(res.body.error.code).toBe('invalid_payload');
    expect((await amina.post('/api/dossiers', { municipalityId: 1, typeCode: 'new_building', coveredAreaM2: -1 })).body.error.code).toBe('invalid_payload');
    expect((await amina.get('/api/dossiers')).body.length).toBe(before);
  });
});

describe('submission', () => {
  it('uploads every required PDF, submits, gets a reference and a receipt listing the sha256', async () => {
    const d = (await newDossier(amina)).body;
    expect(d.status).toBe('draft');
    const early = await amina.post(`/api/dossiers/${d.id}/submit`);
    expect(early.status).toBe(409);
    expect(early.body.error.details.missing).toEqual(REQUIRED);

    const up = await upload(amina, d.id, 'signed_request', file('plan.pdf'));
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ version: 1, sha256: sha(REAL_PDF), pageCount: 17, size: fs.statSync(REAL_PDF).size, fileName: 'plan.pdf' });
    for (const item of REQUIRED.slice(1)) await upload(amina, d.id, item, REAL_PDF);

    const res = await amina.post(`/api/dossiers/${d.id}/submit`);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('submitted');
    expect(res.body.reference).toMatch(new RegExp(`^ADR-${new Date().getFullYear()}-\\d{4}$`));
    expect(res.body.timeline.map((e: any) => e.action)).toEqual(['create', 'submit']);
    expect(res.body.timeline[1].by.nameFr).toBe('Amina Hammami');

    const receipt = await amina.get(`/api/dossiers/${d.id}/receipt`);
    expect(receipt.status).toBe(200);
    expect(receipt.headers.get('content-type')).toBe('application/pdf');
    fs.writeFileSync(file('receipt.pdf'), receipt.body);
    const text = execFileSync('pdftotext', [file('receipt.pdf'), '-']).toString();
    expect(text).toContain(res.body.reference);
    expect(text).toContain(sha(REAL_PDF));
  });

  it('refuses to submit twice (409 invalid_transition) and keeps one submit event', async () => {
    const d = await submittedDossier(amina);
    const again = await amina.post(`/api/dossiers/${d.id}/submit`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('invalid_transition');
    const after = (await amina.get(`/api/dossiers/${d.id}`)).body;
    expect(after.reference).toBe(d.reference);
    expect(after.timeline.filter((e: any) => e.action === 'submit')).toHaveLength(1);
  });

  it('gives unique references to concurrent submissions', async () => {
    const drafts = [];
    for (let i = 0; i < 8; i++) {
      const client = i % 2 ? amina : youssef;
      const d = (await newDossier(client)).body;
      for (const item of REQUIRED) await upload(client, d.id, item, REAL_PDF);
      drafts.push({ client, id: d.id });
    }
    const results = await Promise.all(drafts.map(({ client, id }) => client.post(`/api/dossiers/${id}/submit`)));
    expect(results.map((r) => r.status)).toEqual(drafts.map(() => 200));
    const refs = results.map((r) => r.body.reference);
    expect(new Set(refs).size).toBe(refs.length);
    const seqs = refs.map((r: string) => Number(r.split('-')[2])).sort((a, b) => a - b);
    expect(seqs).toEqual(seqs.map((_: number, i: number) => seqs[0] + i));
  });
});

describe('uploads', () => {
  let dossierId: number;
  beforeAll(async () => {
    dossierId = (await newDossier(amina)).body.id;
  });

  it.each([
    ['a text file renamed .pdf', 'notes.pdf', 415, 'unsupported_media_type'],
    ['a truncated PDF', 'truncated.pdf', 422, 'invalid_pdf'],
    ['a password-protected PDF', 'encrypted.pdf', 422, 'encrypted_pdf'],
    ['an encrypted PDF without user password', 'restricted.pdf', 422, 'encrypted_pdf'],
    ['a 0-byte file', 'empty.pdf', 400, 'empty_file'],
  ])('refuses %s and keeps nothing', async (_what, name, status, code) => {
    const before = storedFiles();
    const res = await upload(amina, dossierId, 'signed_request', file(name));
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(storedFiles()).toEqual(before);
    expect((await amina.get(`/api/dossiers/${dossierId}/documents`)).body).toEqual([]);
  });

  it('refuses a file over the limit with 413 file_too_large and leaves nothing on disk', async () => {
    const before = storedFiles();
    const res = await upload(amina, dossierId, 'signed_request', BIG_PDF);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('file_too_large');
    expect(storedFiles()).toEqual(before);
    expect(fs.readdirSync(path.join(t.dataDir, 'documents', 'tmp'))).toEqual([]);
  });

  it('refuses at once a body whose declared length is far over the limit', async () => {
    const before = storedFiles();
    fs.writeFileSync(file('huge.pdf'), Buffer.concat([fs.readFileSync(REAL_PDF), Buffer.alloc(2 * 1024 * 1024)]));
    const res = await upload(amina, dossierId, 'signed_request', file('huge.pdf'));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('file_too_large');
    expect(storedFiles()).toEqual(before);
  });

  it('refuses a body that is not multipart, and an unknown checklist item', async () => {
    const raw = await amina.request('PUT', `/api/dossiers/${dossierId}/documents/signed_request`, { raw: fs.readFileSync(REAL_PDF), headers: { 'content-type': 'application/pdf' } });
    expect(raw.body.error.code).toBe('unsupported_media_type');
    expect((await upload(amina, dossierId, 'no_such_item', REAL_PDF)).status).toBe(404);
  });

  it('stores the same content once; replacing makes a new version and the old one stays readable', async () => {
    const v1 = (await upload(amina, dossierId, 'signed_request', REAL_PDF, 'v1.pdf')).body;
    const again = (await upload(amina, dossierId, 'tax_receipts', REAL_PDF)).body;
    expect(again.sha256).toBe(v1.sha256);
    const copies = storedFiles().filter((f) => path.basename(f) === v1.sha256);
    expect(copies).toEqual([path.join(t.dataDir, 'documents', 'sha256', v1.sha256.slice(0, 2), v1.sha256)]);

    fs.writeFileSync(file('second.pdf'), execFileSync('qpdf', [REAL_PDF, '--pages', REAL_PDF, '1-3', '--', '-']));
    const v2 = (await upload(amina, dossierId, 'signed_request', file('second.pdf'), 'v2.pdf')).body;
    expect(v2).toMatchObject({ documentId: v1.documentId, version: 2, pageCount: 3 });
    const docs = (await amina.get(`/api/dossiers/${dossierId}/documents`)).body;
    const doc = docs.find((x: any) => x.itemCode === 'signed_request');
    expect(doc.currentVersion.id).toBe(v2.id);
    expect(doc.versions.map((v: any) => v.version)).toEqual([2, 1]);
    const old = await amina.get(`/api/documents/versions/${v1.id}/content`);
    expect(old.status).toBe(200);
    expect(crypto.createHash('sha256').update(old.body).digest('hex')).toBe(v1.sha256);
  });
});

describe('range requests', () => {
  let url: string;
  let bytes: Buffer;
  beforeAll(async () => {
    const d = (await newDossier(amina)).body;
    const v = (await upload(amina, d.id, 'architect_plans', REAL_PDF)).body;
    url = `/api/documents/versions/${v.id}/content`;
    bytes = fs.readFileSync(REAL_PDF);
  });

  it('sends the whole file with validators and immutable private caching', async () => {
    const res = await amina.get(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('etag')).toBe(`"${sha(REAL_PDF)}"`);
    expect(res.headers.get('cache-control')).toMatch(/private.*immutable/);
    expect(Buffer.compare(res.body, bytes)).toBe(0);
  });

  it.each([
    ['the first bytes', 'bytes=0-1023', 0, 1023],
    ['a middle range', 'bytes=50000-50099', 50000, 50099],
    ['a suffix range', 'bytes=-500', bytes0().length - 500, bytes0().length - 1],
    ['an open-ended range', 'bytes=140000-', 140000, bytes0().length - 1],
  ])('answers %s with 206', async (_what, range, start, end) => {
    const res = await amina.get(url, { range });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes ${start}-${end}/${bytes.length}`);
    expect(Buffer.compare(res.body, bytes.subarray(start, end + 1))).toBe(0);
  });

  it('answers an unsatisfiable range with 416 and Content-Range bytes */size', async () => {
    const res = await amina.get(url, { range: `bytes=${bytes.length + 10}-${bytes.length + 20}` });
    expect(res.status).toBe(416);
    expect(res.body.error.code).toBe('range_not_satisfiable');
    expect(res.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
  });

  it('answers several ranges with multipart/byteranges', async () => {
    const res = await amina.get(url, { range: 'bytes=0-9,1000-1019' });
    expect(res.status).toBe(206);
    const boundary = /boundary=(\S+)/.exec(res.headers.get('content-type')!)![1]!;
    const body = (res.body as Buffer).toString('latin1');
    const parts = body.split(`--${boundary}`).slice(1, -1);
    expect(parts).toHaveLength(2);
    expect(parts[0]).toContain(`Content-Range: bytes 0-9/${bytes.length}`);
    expect(parts[0]!.split('\r\n\r\n')[1]!.replace(/\r\n$/, '')).toBe(bytes.subarray(0, 10).toString('latin1'));
    expect(parts[1]!.split('\r\n\r\n')[1]!.replace(/\r\n$/, '')).toBe(bytes.subarray(1000, 1020).toString('latin1'));
    expect(Number(res.headers.get('content-length'))).toBe(res.body.length);
  });

  it('answers If-None-Match with the ETag by 304', async () => {
    const res = await amina.get(url, { 'if-none-match': `"${sha(REAL_PDF)}"` });
    expect(res.status).toBe(304);
  });
});
function bytes0(): Buffer {
  return fs.readFileSync(REAL_PDF);
}

describe('authorization', () => {
  let d: any;
  let versionId: number;
  beforeAll(async () => {
    d = await submittedDossier(amina);
    versionId = d.documents[0].currentVersion.id;
  });

  it.each([
    ['GET', (id: number) => `/api/dossiers/${id}`],
    ['PATCH', (id: number) => `/api/dossiers/${id}`],
    ['GET', (id: number) => `/api/dossiers/${id}/documents`],
    ['GET', (id: number) => `/api/dossiers/${id}/receipt`],
    ['POST', (id: number) => `/api/dossiers/${id}/submit`],
    ['POST', (id: number) => `/api/dossiers/${id}/withdraw`],
    ['POST', (id: number) => `/api/dossiers/${id}/messages`],
    ['POST', (id: number) => `/api/dossiers/${id}/request-documents`],
    ['POST', (id: number) => `/api/dossiers/${id}/complete`],
  ])('%s %s: another applicant, another municipality and an unknown id get 404', async (method, route) => {
    for (const [client, id] of [[youssef, d.id], [secretaryTbk, d.id], [architect, d.id], [amina, 999_999]] as const) {
      const res = await client.request(method, route(id), method === 'GET' ? {} : { body: { message: 'x', body: 'x' } });
      expect(res.status, `${method} ${route(id)}`).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
  });

  it('hides documents and versions from another applicant, another municipality and a member not examining the dossier', async () => {
    for (const route of [`/api/documents/versions/${versionId}`, `/api/documents/versions/${versionId}/content`]) {
      for (const client of [youssef, secretaryTbk, architect]) expect((await client.get(route)).status).toBe(404);
      expect((await amina.get(route)).status).toBe(200);
      expect((await secretary.get(route)).status).toBe(200);
    }
    expect((await amina.get('/api/documents/versions/999999/content')).status).toBe(404);
    expect((await amina.get('/api/documents/versions/abc/content')).body.error.code).toBe('invalid_payload');
  });

  it('lists to an applicant only their own dossiers, to a secretary only their municipality', async () => {
    const mine = (await youssef.get('/api/dossiers')).body;
    expect(mine.every((x: any) => x.applicant.nameFr === 'Youssef Gasmi')).toBe(true);
    expect((await secretaryTbk.get('/api/dossiers')).body).toEqual([]);
    expect((await secretary.get('/api/dossiers')).body.some((x: any) => x.id === d.id)).toBe(true);
  });

  it('lets only the office take office steps and only the applicant upload', async () => {
    expect((await amina.post(`/api/dossiers/${d.id}/complete`)).status).toBe(403);
    expect((await upload(secretary, d.id, 'signed_request', REAL_PDF)).status).toBe(403);
  });
});

describe('drafts, demo data and session routes', () => {
  it('lets the applicant edit a draft, not a submitted dossier', async () => {
    const d = (await newDossier(amina)).body;
    const edited = await amina.patch(`/api/dossiers/${d.id}`, { coveredAreaM2: 650, nearProtectedSite: true });
    expect(edited.body).toMatchObject({ coveredAreaM2: 650, nearProtectedSite: true, deadline: { days: 90 } });
    expect(edited.body.checklist.find((c: any) => c.code === 'energy_study').required).toBe(true);
    const s = await submittedDossier(amina);
    expect((await amina.patch(`/api/dossiers/${s.id}`, { levels: 9 })).body.error.code).toBe('invalid_transition');
  });

  it('seeds demo dossiers for amina and youssef in several statuses, with readable documents', async () => {
    const mine = (await ApiClient.loggedIn(t.url, 'amina@example.tn').then((c) => c.get('/api/dossiers'))).body;
    const statuses = new Set(mine.map((d: any) => d.status));
    for (const s of ['draft', 'submitted', 'complete']) expect(statuses.has(s)).toBe(true);
    const incomplete = (await youssef.get('/api/dossiers?status=incomplete')).body[0];
    expect(incomplete.deadline.daysRemaining).toBeNull();
    const view = (await youssef.get(`/api/dossiers/${incomplete.id}`)).body;
    expect(view.messages).toHaveLength(1);
    const content = await youssef.get(`/api/documents/versions/${view.documents[0].currentVersion.id}/content`);
    expect(content.status).toBe(200);
    expect(content.body.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('seeds a planned session of the committee with two scheduled dossiers, whose plans have several sheets', async () => {
    const sessions = (await ApiClient.loggedIn(t.url, 'architect@ain-draham.tn').then((c) => c.get('/api/sessions'))).body;
    const demo = sessions.find((s: any) => s.location === 'Salle du conseil municipal');
    expect(demo).toMatchObject({ status: 'planned', mode: 'remote' });
    expect(demo.agenda.map((a: any) => a.dossier.status)).toEqual(['scheduled', 'scheduled']);
    const plans = demo.agenda[0].dossier.documents.find((d: any) => d.itemCode === 'architect_plans').currentVersion;
    expect(plans.pageCount).toBe(5);
    const architect = await ApiClient.loggedIn(t.url, 'architect@ain-draham.tn');
    const pdf = await architect.get(`/api/documents/versions/${plans.id}/content`);
    expect(pdf.status).toBe(200);
    const file = path.join(t.dataDir, 'plans-check.pdf');
    fs.writeFileSync(file, pdf.body);
    expect(await t.server.pdfInspection.inspect(file, pdf.body.length)).toEqual({ pageCount: 5 });
  });

  it('takes a withdrawn dossier off the agenda of a planned session', async () => {
    const d = await submittedDossier(amina);
    await secretary.post(`/api/dossiers/${d.id}/complete`);
    const s = (await secretary.post('/api/sessions', { municipalityId: 1, startsAt: '2030-02-02T09:00:00+01:00', mode: 'remote' })).body;
    expect((await secretary.put(`/api/sessions/${s.id}/agenda`, { dossierIds: [d.id] })).body.agenda).toHaveLength(1);
    expect((await amina.post(`/api/dossiers/${d.id}/withdraw`)).body.status).toBe('withdrawn');
    expect((await secretary.get(`/api/sessions/${s.id}`)).body.agenda).toEqual([]);
    expect((await architect.get(`/api/dossiers/${d.id}`)).status).toBe(404);
  });

  it('answers 404 on every session route to outsiders and 403 to members for office steps', async () => {
    const s = (await secretary.post('/api/sessions', { municipalityId: 1, startsAt: '2030-01-02T09:00:00+01:00', mode: 'hybrid', location: 'Salle du conseil' })).body;
    for (const client of [amina, secretaryTbk]) {
      expect((await client.get(`/api/sessions/${s.id}`)).status).toBe(404);
      expect((await client.put(`/api/sessions/${s.id}/agenda`, { dossierIds: [] })).status).toBe(404);
      expect((await client.post(`/api/sessions/${s.id}/convene`)).status).toBe(404);
    }
    expect((await secretary.get('/api/sessions/999999')).status).toBe(404);
    expect((await architect.put(`/api/sessions/${s.id}/agenda`, { dossierIds: [] })).status).toBe(403);
    expect((await architect.post(`/api/sessions/${s.id}/convene`)).status).toBe(403);
    expect((await secretaryTbk.post('/api/sessions', { municipalityId: 1, startsAt: '2030-01-02T09:00:00+01:00', mode: 'remote' })).status).toBe(403);
    expect((await secretary.post('/api/sessions', { municipalityId: 1, startsAt: 'tomorrow', mode: 'remote' })).body.error.code).toBe('invalid_payload');
    expect((await secretary.post(`/api/sessions/${s.id}/convene`)).body.error.code).toBe('conflict');
  });
});

describe('secretary office, sessions and convocation', () => {
  it('requests documents (clock paused, applicant notified), accepts the answer, marks complete, schedules and convenes', async () => {
    const d = await submittedDossier(amina);
    const queue = (await secretary.get('/api/dossiers?status=submitted')).body;
    expect(queue.some((x: any) => x.id === d.id)).toBe(true);

    const req = await secretary.post(`/api/dossiers/${d.id}/request-documents`, { message: 'Le levé topographique est illisible.', items: ['topographic_survey'] });
    expect(req.status).toBe(200);
    expect(req.body.status).toBe('incomplete');
    expect(req.body.messages.at(-1).body).toBe('Le levé topographique est illisible.');
    // The timeline names the items as data (the page shows their names), not as codes in the note.
    expect(req.body.timeline.at(-1)).toMatchObject({ action: 'request_documents', note: 'Le levé topographique est illisible.', items: ['topographic_survey'], session: null });
    const note = await OutboxMessage.findOne({ where: { toAddress: 'amina@example.tn', kind: 'dossier' }, order: [['id', 'DESC']] });
    expect(note!.text).toContain('Le levé topographique est illisible.');

    expect((await upload(amina, d.id, 'topographic_survey', REAL_PDF)).body.version).toBe(2);
    expect((await amina.post(`/api/dossiers/${d.id}/submit`)).body.status).toBe('submitted');
    const complete = await secretary.post(`/api/dossiers/${d.id}/complete`);
    expect(complete.body.status).toBe('complete');
    expect(complete.body.deadline).toMatchObject({ days: 45, daysRemaining: 45, paused: false, overdue: false });

    // A member sees nothing of the dossier until it is on their committee's agenda.
    expect((await architect.get(`/api/dossiers/${d.id}`)).status).toBe(404);
    const session = await secretary.post('/api/sessions', { municipalityId: 1, startsAt: new Date(Date.now() + 7 * 86_400_000).toISOString(), mode: 'remote' });
    expect(session.status).toBe(201);
    expect((await secretaryTbk.get(`/api/sessions/${session.body.id}`)).status).toBe(404);
    expect((await amina.get(`/api/sessions/${session.body.id}`)).status).toBe(404);
    expect((await secretary.put(`/api/sessions/${session.body.id}/agenda`, { dossierIds: [(await submittedDossier(youssef)).id] })).body.error.code).toBe('invalid_transition');

    const agenda = await secretary.put(`/api/sessions/${session.body.id}/agenda`, { dossierIds: [d.id] });
    expect(agenda.status).toBe(200);
    const seen = await architect.get(`/api/sessions/${session.body.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.agenda[0].dossier).toMatchObject({ id: d.id, reference: d.reference, status: 'scheduled' });
    expect(seen.body.agenda[0].dossier.documents.find((x: any) => x.itemCode === 'topographic_survey').currentVersion.version).toBe(2);
    expect(seen.body.agenda[0].dossier.documents.find((x: any) => x.itemCode === 'topographic_survey')).toMatchObject({ labelFr: 'Levé topographique', labelAr: expect.stringMatching(/[\u0600-\u06FF]/) });
    expect((await secretary.get(`/api/dossiers/${d.id}`)).body.timeline.at(-1)).toMatchObject({
      action: 'schedule', note: '', items: [], session: { id: session.body.id, startsAt: session.body.startsAt },
    });
    expect((await architect.get(`/api/dossiers/${d.id}`)).body.applicant).toBeNull();
    expect((await architect.get('/api/sessions')).body.map((s: any) => s.id)).toContain(session.body.id);

    const pub = await new ApiClient(t.url).get('/api/public/sessions');
    const listed = pub.body.find((s: any) => s.id === session.body.id);
    expect(listed.agenda).toEqual([{ position: 1, reference: d.reference, type: expect.objectContaining({ code: 'new_building' }) }]);
    expect(JSON.stringify(pub.body)).not.toMatch(/amina|Hammami|Rue de la Source|TF 777/);

    // SMTP is down: the convocations wait and are retried, nothing is lost.
    const convened = await secretary.post(`/api/sessions/${session.body.id}/convene`);
    expect(convened.status).toBe(202);
    expect(convened.body.queued).toBe(8);
    await t.server.outbox.runOnce();
    // The background worker may hold some rows of the batch at this moment: each is tried once, and fails, soon.
    await expect
      .poll(async () => (await OutboxMessage.findAll({ where: { kind: 'convocation' } })).every((m) => m.sentAt === null && m.attempts >= 1 && m.lastError))
      .toBe(true);

    smtp = await Mailbox.start(smtpPort);
    for (let i = 0; i < 20 && (await OutboxMessage.count({ where: { sentAt: null } })) > 0; i++) {
      await t.server.outbox.runOnce(new Date(Date.now() + 3_600_000));
    }
    expect(await OutboxMessage.count({ where: { sentAt: null } })).toBe(0);
    const [invite] = await smtp.parsed('architect@ain-draham.tn');
    expect(invite).toBeDefined();
    const calendar = invite!.attachments.find((a) => a.contentType === 'text/calendar');
    const ics = calendar!.content.toString('utf8');
    expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(ics).toContain('METHOD:REQUEST');
    expect(ics).toContain(`UID:session-${session.body.id}@lajna`);
    expect(ics).toContain(`DTSTART:${session.body.startsAt.replace(/[-:]/g, '').replace(/\.\d{3}/, '')}`);
    expect(ics.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
    expect(ics.replace(/\r\n /g, '')).toContain(d.reference);
  });

  it('refuses to request documents on a submitted-then-withdrawn dossier and changes nothing', async () => {
    const d = await submittedDossier(youssef);
    expect((await youssef.post(`/api/dossiers/${d.id}/withdraw`)).body.status).toBe('withdrawn');
    const before = await OutboxMessage.count();
    const res = await secretary.post(`/api/dossiers/${d.id}/request-documents`, { message: 'Plans manquants' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('invalid_transition');
    const after = (await secretary.get(`/api/dossiers/${d.id}`)).body;
    expect(after.status).toBe('withdrawn');
    expect(after.messages).toEqual([]);
    expect(await OutboxMessage.count()).toBe(before);
  });

  it('keeps every stored version row pointing at a file on disk', async () => {
    for (const v of await DocumentVersion.findAll()) expect(fs.existsSync(path.join(t.dataDir, 'documents', v.storagePath))).toBe(true);
  });
});
