import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntryRow, Complaint, Dossier, User } from '../../db/models';
import { DocumentStore } from '../../server/services/documentStore';
import { ApiClient } from '../support/http';
import { pdfText } from '../support/pdfText';
import { startTestServer, type TestServer } from '../support/server';

const DAY = 86_400_000;
// A real PDF nobody on the team wrote (Debian documentation).
const PDF = '/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf';
let t: TestServer;
let amina: ApiClient, youssef: ApiClient, secretary: ApiClient;
let aminaId: number;

beforeAll(async () => {
  t = await startTestServer();
  [amina, youssef, secretary] = await Promise.all(['amina@example.tn', 'youssef@example.tn', 'secretary@ain-draham.tn'].map((e) => ApiClient.loggedIn(t.url, e)));
  aminaId = (await User.findOne({ where: { email: 'amina@example.tn' } }))!.id;
  // Amina's cases beside her seeded dossiers: a request for information and a complaint, with the office's answers.
  const request = (await amina.post('/api/information-requests', { municipalityId: 1, subject: 'Budget participatif', description: 'Les procès-verbaux.', accessForm: 'on_site' })).body;
  const complaint = (await amina.post('/api/complaints', { municipalityId: 1, category: 'roads', description: 'Trou rue des Pins', address: 'Rue des Pins', anonymous: true })).body;
  await secretary.post(`/api/complaints/${complaint.id}/messages`, { body: 'Merci, nous passons demain.' });
  // Youssef's, which must not appear in her export.
  await youssef.post('/api/complaints', { municipalityId: 1, category: 'noise', description: 'Youssef se plaint du bruit', address: 'Rue Youssef' });
  expect(request.id).toBeGreaterThan(0);
}, 120_000);
afterAll(() => t?.close());

describe('a person\'s data (Law 2004-63)', () => {
  it('the export holds every record that names them, and nothing of another person', async () => {
    const res = await amina.get('/api/me/data');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('attachment');
    const data = res.body;
    expect(data.account).toMatchObject({ email: 'amina@example.tn', nameFr: 'Amina Hammami', roles: [{ municipality: 'ADR', role: 'applicant' }] });
    expect(data.dossiers).toHaveLength(await Dossier.count({ where: { applicantId: aminaId } }));
    expect(data.dossiers.map((d: any) => d.address)).toContain('Rue des Chênes 12, Aïn Draham');
    expect(data.informationRequests.map((r: any) => r.subject)).toEqual(['Budget participatif']);
    expect(data.complaints).toHaveLength(1);
    expect(data.complaints[0]).toMatchObject({ description: 'Trou rue des Pins', anonymous: true, messages: [{ from: 'municipality', body: 'Merci, nous passons demain.' }] });
    expect(data.actions.map((a: any) => a.action)).toEqual(expect.arrayContaining(['information_request.received', 'complaint.received']));
    expect(data.loginSessions.length).toBeGreaterThanOrEqual(1);
    const text = JSON.stringify(data);
    for (const other of ['Youssef', 'youssef@', 'يوسف', 'Salma', 'Jendoubi', 'secretary@', 'Rue Youssef']) expect(text).not.toContain(other);
    // Youssef's own export has his complaint and none of hers.
    const his = JSON.stringify((await youssef.get('/api/me/data')).body);
    expect(his).toContain('Youssef se plaint du bruit');
    expect(his).not.toContain('Trou rue des Pins');
    expect(his).not.toContain('Amina');
  });

  it('a committee member\'s export has their seat', async () => {
    const architect = await ApiClient.loggedIn(t.url, 'architect@ain-draham.tn');
    expect((await architect.get('/api/me/data')).body.committeeSeats).toEqual([{ municipality: 'ADR', kind: 'voting', titleFr: 'Architecte', titleAr: 'مهندسة معمارية' }]);
  });

  it('the same data as a readable PDF', async () => {
    const res = await amina.get('/api/me/data.pdf');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const text = pdfText(res.body);
    for (const s of ['Données personnelles', 'amina@example.tn', 'Budget participatif', 'Trou rue des Pins', 'Rue des Chênes 12']) expect(text).toContain(s);
    expect(text).not.toContain('Youssef');
  });

  it('corrects their contact data; an email another account has is refused, and bad input changes nothing', async () => {
    const res = await amina.patch('/api/me/contact', { nameFr: 'Amina Hammami-Ayari' });
    expect(res.status).toBe(200);
    expect(res.body.nameFr).toBe('Amina Hammami-Ayari');
    expect((await amina.patch('/api/me/contact', { email: 'YOUSSEF@example.tn' })).status).toBe(409);
    for (const bad of [{}, { email: 'not an email' }, { nameFr: '' }, { role: 'admin' }]) {
      const r = await amina.patch('/api/me/contact', bad);
      expect([r.status, r.body.error.code]).toEqual([400, 'invalid_payload']);
    }
    expect((await User.findByPk(aminaId))!.email).toBe('amina@example.tn');
    expect((await new ApiClient(t.url).get('/api/me/data')).status).toBe(401);
  });
});

describe('the retention job', () => {
  it('deletes a draft never submitted after 6 months, with an audit entry; a submitted dossier and a newer draft stay', async () => {
    const draft = await amina.post('/api/dossiers', {
      municipalityId: 1, typeCode: 'new_building', location: { address: 'Vieux brouillon', parcelRef: 'TF 1/J' }, coveredAreaM2: 100, levels: 1, nearProtectedSite: false,
    });
    const form = new FormData();
    form.append('file', new Blob([fs.readFileSync(PDF)], { type: 'application/pdf' }), 'plan.pdf');
    expect((await amina.request('PUT', `/api/dossiers/${draft.body.id}/documents/architect_plans`, { raw: form })).status).toBe(201);
    const submitted = await Dossier.findOne({ where: { applicantId: aminaId, status: 'submitted' } });
    // Sequelize sets updatedAt itself on every update: the last change is moved back in SQL.
    await Dossier.sequelize!.query('UPDATE dossiers SET "updatedAt" = :old WHERE id IN (:ids)', {
      replacements: { old: new Date(Date.now() - 200 * DAY), ids: [draft.body.id, submitted!.id] },
    });
    const recentDraft = await Dossier.findOne({ where: { applicantId: aminaId, status: 'draft', address: 'Rue des Chênes 12, Aïn Draham' } });

    const pass = await t.server.retention.runOnce();
    expect(pass.deletedDrafts).toBe(1);
    expect(await Dossier.findByPk(draft.body.id)).toBeNull();
    expect(await Dossier.findByPk(submitted!.id)).not.toBeNull();
    expect(await Dossier.findByPk(recentDraft!.id)).not.toBeNull();
    const entry = await AuditEntryRow.findOne({ where: { action: 'retention.deleted', subject: `dossier:${draft.body.id}` } });
    expect(JSON.parse(entry!.payload)).toMatchObject({ kind: 'dossier_draft', afterMonths: 6, documents: 1 });
    expect((await amina.get(`/api/dossiers/${draft.body.id}`)).status).toBe(404);
    // No other record holds that PDF: its content is gone from the store too.
    const sha = crypto.createHash('sha256').update(fs.readFileSync(PDF)).digest('hex');
    expect(fs.existsSync(path.join(t.dataDir, 'documents', DocumentStore.relativePath(sha)))).toBe(false);
  });

  it('anonymises a complaint closed more than 3 years ago, not an open one', async () => {
    const closed = (await youssef.post('/api/complaints', { municipalityId: 1, category: 'waste_collection', description: 'Bac plein rue Y', address: 'Rue Y 3', neighbourhood: 'Centre' })).body;
    await secretary.post(`/api/complaints/${closed.id}/resolve`, {});
    await Complaint.update({ closedAt: new Date(Date.now() - 4 * 365 * DAY) }, { where: { id: closed.id } });
    const open = (await youssef.post('/api/complaints', { municipalityId: 1, category: 'waste_collection', description: 'Bac plein rue Z', address: 'Rue Z' })).body;
    await Complaint.update({ createdAt: new Date(Date.now() - 5 * 365 * DAY) }, { where: { id: open.id }, silent: true });

    const pass = await t.server.retention.runOnce();
    expect(pass.anonymisedComplaints).toBe(1);
    const after = await Complaint.findByPk(closed.id);
    expect(after).toMatchObject({ reporterId: null, description: '', address: '', neighbourhood: 'Centre', category: 'waste_collection', status: 'resolved' });
    expect((await Complaint.findByPk(open.id))!.description).toBe('Bac plein rue Z');
    expect(await AuditEntryRow.count({ where: { action: 'retention.anonymised', subject: `complaint:${closed.id}` } })).toBe(1);
    expect(JSON.stringify((await youssef.get('/api/me/data')).body)).not.toContain('Bac plein rue Y');
    // A second pass finds nothing more to do.
    expect(await t.server.retention.runOnce()).toEqual({ deletedDrafts: 0, anonymisedComplaints: 0 });
  });
});

describe('a municipality\'s own lists and periods', () => {
  it('an admin sets them (audited); the retention job and the forms follow; anyone else is refused', async () => {
    const admin = await ApiClient.loggedIn(t.url, 'admin@ain-draham.tn');
    expect((await admin.get('/api/case-settings/1')).body.retention).toEqual({ draftMonths: 6, closedComplaintYears: 3 });
    const categories = [{ code: 'potholes', nameAr: 'حفر', nameFr: 'Nids-de-poule', nameEn: 'Potholes' }];
    expect((await secretary.request('PUT', '/api/case-settings/1', { body: { complaintCategories: categories } })).status).toBe(403);
    expect((await admin.request('PUT', '/api/case-settings/1', { body: { retention: { draftMonths: 0, closedComplaintYears: 3 } } })).status).toBe(400);
    const res = await admin.request('PUT', '/api/case-settings/1', { body: { complaintCategories: categories, retention: { draftMonths: 1, closedComplaintYears: 3 } } });
    expect(res.status).toBe(200);
    expect((await amina.get('/api/complaints/categories?municipalityId=1')).body).toEqual(categories);
    // Amina's seeded draft, last changed a day ago, is within a month: kept; moved 40 days back, deleted.
    const draft = await Dossier.findOne({ where: { applicantId: aminaId, status: 'draft' } });
    expect((await t.server.retention.runOnce()).deletedDrafts).toBe(0);
    await Dossier.sequelize!.query('UPDATE dossiers SET "updatedAt" = :old WHERE id = :id', { replacements: { old: new Date(Date.now() - 40 * DAY), id: draft!.id } });
    expect((await t.server.retention.runOnce()).deletedDrafts).toBe(1);
    expect(await AuditEntryRow.count({ where: { action: 'case_settings.changed' } })).toBe(1);
    expect((await admin.request('PUT', '/api/case-settings/2', { body: { retention: null } })).status).toBe(403);
  });
});

describe('a deletion request', () => {
  it('an admin of the person\'s municipality gets what may be deleted, anonymised or kept, and why; nobody else', async () => {
    const admin = await ApiClient.loggedIn(t.url, 'admin@ain-draham.tn');
    const res = await admin.get(`/api/people/${aminaId}/erasure`);
    expect(res.status).toBe(200);
    const byKind = (kind: string) => res.body.items.filter((i: any) => i.kind === kind);
    expect(byKind('dossier').find((d: any) => d.status === 'submitted')).toMatchObject({ how: 'keep', reason: 'permit_archive' });
    expect(byKind('information_request')).toEqual([expect.objectContaining({ how: 'anonymise', reason: 'register_without_identity' })]);
    expect(byKind('complaint')).toEqual([expect.objectContaining({ status: 'received', how: 'keep', reason: 'case_open' })]);
    expect(byKind('login_session')).toEqual([expect.objectContaining({ how: 'delete' })]);
    expect(res.body.account).toEqual({ how: 'keep', reason: 'permit_archive' });
    for (const other of [secretary, youssef, amina]) expect((await other.get(`/api/people/${aminaId}/erasure`)).status).toBe(404);
  });
});
