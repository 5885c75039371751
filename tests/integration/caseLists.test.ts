import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Complaint, Dossier, InformationRequest, User } from '../../db/models';
import { ApiClient } from '../support/http';
import { startTestServer, type TestServer } from '../support/server';

const DAY = 86_400_000;
let t: TestServer;
let amina: ApiClient, youssef: ApiClient, officer: ApiClient, secretary: ApiClient, secretaryTbk: ApiClient, admin: ApiClient;
let aminaRequest: number, aminaComplaint: number, youssefRequest: number, youssefComplaint: number;

const ask = (client: ApiClient, subject: string) => client.post('/api/information-requests', {
  municipalityId: 1, subject, description: `Je demande : ${subject}.`, accessForm: 'electronic_copy',
});
const report = (client: ApiClient, extra: object = {}) => client.post('/api/complaints', {
  municipalityId: 1, category: 'roads', description: 'Nid-de-poule.', point: { lat: 36.7791, lng: 8.6872 }, neighbourhood: 'Cité Ennour', ...extra,
});
const kinds = (rows: { kind: string }[]) => [...new Set(rows.map((r) => r.kind))].sort();

beforeAll(async () => {
  t = await startTestServer();
  [amina, youssef, officer, secretary, secretaryTbk, admin] = await Promise.all(
    ['amina@example.tn', 'youssef@example.tn', 'information@ain-draham.tn', 'secretary@ain-draham.tn', 'secretary@tabarka.tn', 'admin@ain-draham.tn']
      .map((e) => ApiClient.loggedIn(t.url, e)),
  );
  aminaRequest = (await ask(amina, 'Budget 2026')).body.id;
  youssefRequest = (await ask(youssef, 'Marchés 2025')).body.id;
  youssefComplaint = (await report(youssef, { anonymous: true })).body.id;
  aminaComplaint = (await report(amina)).body.id;
  // Youssef's request was filed 25 days ago and never answered: overdue (the implied refusal).
  await InformationRequest.update({ receivedAt: new Date(Date.now() - 25 * DAY) }, { where: { id: youssefRequest } });
}, 120_000);
afterAll(() => t?.close());

describe('GET /api/me/cases: one list of a person\'s cases of every kind', () => {
  it('lists all of Amina\'s dossiers, requests and complaints, the most recently active first, and nothing of Youssef\'s', async () => {
    const res = await amina.get('/api/me/cases?limit=100');
    expect(res.status).toBe(200);
    const aminaId = (await User.findOne({ where: { email: 'amina@example.tn' } }))!.id;
    const dossiers = await Dossier.count({ where: { applicantId: aminaId } });
    expect(res.body.total).toBe(dossiers + 2);
    expect(kinds(res.body.rows)).toEqual(['complaint', 'dossier', 'information_request']);
    const ids = (kind: string) => res.body.rows.filter((r: any) => r.kind === kind).map((r: any) => r.id);
    expect(ids('information_request')).toEqual([aminaRequest]);
    expect(ids('complaint')).toEqual([aminaComplaint]);
    expect((await Dossier.findAll({ where: { id: ids('dossier') } })).every((d) => d.applicantId === aminaId)).toBe(true);
    const times = res.body.rows.map((r: any) => Date.parse(r.lastActivityAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(res.body.rows[0]).toMatchObject({ kind: 'complaint', id: aminaComplaint, status: 'received', what: { code: 'roads' }, due: null, person: null });
    const request = res.body.rows.find((r: any) => r.kind === 'information_request');
    expect(request).toMatchObject({ detail: 'Budget 2026', status: 'received', due: { days: 20, daysRemaining: 20, overdue: false } });
    expect(JSON.stringify(res.body)).not.toContain('Marchés 2025');
  });

  it('a message from the office is activity: the case it is on comes first', async () => {
    await officer.post(`/api/information-requests/${aminaRequest}/messages`, { body: 'Nous préparons les annexes.' });
    expect((await amina.get('/api/me/cases')).body.rows[0]).toMatchObject({ kind: 'information_request', id: aminaRequest });
  });

  it('filters by kind, and pages: at most 100 a page, with the total', async () => {
    const only = (await amina.get('/api/me/cases?type=complaint')).body;
    expect(only).toEqual({ total: 1, rows: [expect.objectContaining({ kind: 'complaint', id: aminaComplaint })] });
    const all = (await amina.get('/api/me/cases?limit=100')).body;
    const second = (await amina.get('/api/me/cases?limit=2&offset=2')).body;
    expect(second.total).toBe(all.total);
    expect(second.rows.map((r: any) => [r.kind, r.id])).toEqual(all.rows.slice(2, 4).map((r: any) => [r.kind, r.id]));
    const youssefs = (await youssef.get('/api/me/cases?type=information_request')).body;
    expect(youssefs.rows.map((r: any) => r.id)).toEqual([youssefRequest]);
    expect(youssefs.rows[0].due).toMatchObject({ overdue: true, daysRemaining: null });
  });

  it.each([
    ['an unknown kind', 'type=permit'],
    ['a page over 100', 'limit=101'],
    ['a negative offset', 'offset=-1'],
    ['an unknown parameter', 'userId=3'],
  ])('%s → 400 invalid_payload', async (_name, query) => {
    const res = await amina.get(`/api/me/cases?${query}`);
    expect([res.status, res.body.error.code]).toEqual([400, 'invalid_payload']);
  });

  it('needs a login', async () => {
    expect((await new ApiClient(t.url).get('/api/me/cases')).status).toBe(401);
  });
});

describe('GET /api/office/cases: the office\'s one queue, by its roles and municipalities', () => {
  it('the secretary sees permits (not drafts) and complaints, not requests; anonymous reporters stay hidden', async () => {
    const res = (await secretary.get('/api/office/cases?limit=100')).body;
    expect(kinds(res.rows)).toEqual(['complaint', 'dossier']);
    expect(res.rows.filter((r: any) => r.kind === 'dossier').every((r: any) => r.status !== 'draft')).toBe(true);
    expect(res.rows.find((r: any) => r.id === aminaComplaint && r.kind === 'complaint').person).toMatchObject({ nameFr: 'Amina Hammami' });
    expect(res.rows.find((r: any) => r.id === youssefComplaint && r.kind === 'complaint').person).toBeNull();
    const complaints = (await secretary.get('/api/office/cases?type=complaint&limit=100')).body;
    expect(complaints.total).toBe(await Complaint.count({ where: { municipalityId: 1 } }));
    expect(kinds(complaints.rows)).toEqual(['complaint']);
    const permits = (await secretary.get('/api/office/cases?type=dossier&limit=100')).body;
    expect(kinds(permits.rows)).toEqual(['dossier']);
    expect(permits.rows.some((r: any) => r.due?.daysRemaining !== null)).toBe(true);
    const submitted = (await secretary.get('/api/office/cases?type=dossier&status=submitted&limit=100')).body;
    expect(submitted.rows.length).toBeGreaterThan(0);
    expect(submitted.rows.every((r: any) => r.status === 'submitted')).toBe(true);
    // Drafts stay the applicant's own, even asked for by status.
    expect((await secretary.get('/api/office/cases?type=dossier&status=draft')).body.total).toBe(0);
    const requests = await secretary.get('/api/office/cases?type=information_request');
    expect([requests.status, requests.body.error.code]).toEqual([403, 'forbidden']);
  });

  it('the information officer sees the requests, the overdue one first with its implied refusal; not permits nor complaints', async () => {
    const res = (await officer.get('/api/office/cases')).body;
    expect(kinds(res.rows)).toEqual(['information_request']);
    expect(res.rows[0]).toMatchObject({ id: youssefRequest, due: { overdue: true }, person: { nameFr: 'Youssef Gasmi' } });
    expect(res.rows.map((r: any) => r.id)).toEqual(expect.arrayContaining([aminaRequest, youssefRequest]));
    for (const type of ['dossier', 'complaint']) expect((await officer.get(`/api/office/cases?type=${type}`)).status).toBe(403);
  });

  it('the admin sees every kind; another municipality\'s office none of these; an applicant has no office queue', async () => {
    expect(kinds((await admin.get('/api/office/cases?limit=100')).body.rows)).toEqual(['complaint', 'dossier', 'information_request']);
    const tbk = (await secretaryTbk.get('/api/office/cases?limit=100')).body;
    expect(tbk.rows.some((r: any) => [aminaComplaint, youssefComplaint].includes(r.id) && r.kind === 'complaint')).toBe(false);
    expect(tbk.rows.every((r: any) => r.reference === null || !r.reference.startsWith('ADR-'))).toBe(true);
    const applicant = await amina.get('/api/office/cases');
    expect([applicant.status, applicant.body.error.code]).toEqual([403, 'forbidden']);
  });

  it.each(['type=permits', 'type=', 'limit=0', 'limit=abc', 'municipalityId=2', 'status=submitted', 'type=complaint&status=submitted'])('?%s → 400 invalid_payload', async (query) => {
    const res = await secretary.get(`/api/office/cases?${query}`);
    expect([res.status, res.body.error.code]).toEqual([400, 'invalid_payload']);
  });
});
