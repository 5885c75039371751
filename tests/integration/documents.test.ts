import crypto from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedPlanPdf } from '../support/fixtures/planPdf';
import { agendaOfDossiers, type ExaminedDossier } from '../support/agenda';
import { ApiClient } from '../support/http';
import { createRemoteSession } from '../support/meeting';
import { startTestServer, type TestServer } from '../support/server';

/**
 * The document routes beyond tests/integration/intake.test.ts (which covers the first
 * bytes, a middle, a suffix and an open-ended range, 416, two ranges and 304): the refusal
 * of too many ranges, If-Range, HEAD, validators on partial answers, and who may read a
 * version, on both routes, including the committee of a session with and without it.
 */
let t: TestServer;
let onAgenda: ExaminedDossier;
let offAgenda: ExaminedDossier;
let plan: Buffer;
let clients: Record<'owner' | 'otherApplicant' | 'secretary' | 'otherSecretary' | 'chair' | 'member' | 'consultative' | 'otherMember' | 'anonymous', ApiClient>;

const content = (versionId: number) => `/api/documents/versions/${versionId}/content`;
const metadata = (versionId: number) => `/api/documents/versions/${versionId}`;
const planVersion = (d: ExaminedDossier) => d.documents.find((x) => x.itemCode === 'architect_plans')!;

beforeAll(async () => {
  t = await startTestServer();
  const file = cachedPlanPdf({ pages: 3, paths: 300, segments: 40, seed: 11, width: 842, height: 1191 });
  plan = fs.readFileSync(file);
  // Two dossiers of amina@: the first on a session's agenda, the second on another session's
  // agenda that is then emptied (it was examinable once, it no longer is).
  [onAgenda] = await agendaOfDossiers(t.url, await createRemoteSession(), [{ architect_plans: file }]);
  const later = await createRemoteSession();
  [offAgenda] = await agendaOfDossiers(t.url, later, [{ architect_plans: file }]);
  const secretary = await ApiClient.loggedIn(t.url, 'secretary@ain-draham.tn');
  expect((await secretary.put(`/api/sessions/${later}/agenda`, { dossierIds: [] })).status).toBe(200);
  const emails = {
    owner: 'amina@example.tn', otherApplicant: 'youssef@example.tn', secretary: 'secretary@ain-draham.tn', otherSecretary: 'secretary@tabarka.tn',
    chair: 'chair@ain-draham.tn', member: 'architect@ain-draham.tn', consultative: 'sonede@ain-draham.tn', otherMember: 'member@tabarka.tn',
  };
  clients = Object.fromEntries(await Promise.all(Object.entries(emails).map(async ([k, e]) => [k, await ApiClient.loggedIn(t.url, e)]))) as typeof clients;
  clients.anonymous = new ApiClient(t.url);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('range requests on a stored plan', () => {
  const url = () => content(planVersion(onAgenda).versionId);

  it('stores the plan as uploaded and names it by its sha256', () => {
    expect(planVersion(onAgenda).sha256).toBe(crypto.createHash('sha256').update(plan).digest('hex'));
    expect(plan.length).toBeGreaterThan(100_000);
  });

  it('sends validators and caching on a partial answer too', async () => {
    const res = await clients.member.get(url(), { range: 'bytes=0-65535' });
    expect(res.status).toBe(206);
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('etag')).toBe(`"${planVersion(onAgenda).sha256}"`);
    expect(res.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect(res.headers.get('content-length')).toBe('65536');
    expect(Buffer.compare(res.body, plan.subarray(0, 65536))).toBe(0);
  });

  it.each([
    ['the first bytes', 'bytes=0-1023', 0, 1023],
    ['a middle range', 'bytes=40000-40999', 40000, 40999],
    ['a suffix range', 'bytes=-2048', -2048, -1],
  ])('answers %s with exactly those bytes', async (_what, range, from, to) => {
    const size = plan.length;
    const [start, end] = [from < 0 ? size + from : from, to < 0 ? size + to : to];
    const res = await clients.member.get(url(), { range });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes ${start}-${end}/${size}`);
    expect(Buffer.compare(res.body, plan.subarray(start, end + 1))).toBe(0);
  });

  it('refuses a range past the end with 416, Content-Range bytes */size and no caching', async () => {
    const res = await clients.member.get(url(), { range: `bytes=${plan.length}-` });
    expect(res.status).toBe(416);
    expect(res.body.error.code).toBe('range_not_satisfiable');
    expect(res.body.error.details).toEqual({ size: plan.length });
    expect(res.headers.get('content-range')).toBe(`bytes */${plan.length}`);
    expect(res.headers.get('cache-control')).toBeNull();
  });

  it('answers three ranges as multipart/byteranges, and refuses more than 16 clearly with 416', async () => {
    const res = await clients.member.get(url(), { range: 'bytes=0-99,50000-50099,-100' });
    expect(res.status).toBe(206);
    const boundary = /^multipart\/byteranges; boundary=(\S+)$/.exec(res.headers.get('content-type')!)![1]!;
    const parts = (res.body as Buffer).toString('latin1').split(`--${boundary}`).slice(1, -1);
    expect(parts.map((p) => /Content-Range: (.*)\r\n/.exec(p)![1])).toEqual([
      `bytes 0-99/${plan.length}`, `bytes 50000-50099/${plan.length}`, `bytes ${plan.length - 100}-${plan.length - 1}/${plan.length}`,
    ]);
    expect(parts[2]!.split('\r\n\r\n')[1]!.replace(/\r\n$/, '')).toBe(plan.subarray(plan.length - 100).toString('latin1'));

    const many = Array.from({ length: 17 }, (_, i) => `${i * 1000}-${i * 1000 + 9}`).join(',');
    const refused = await clients.member.get(url(), { range: `bytes=${many}` });
    expect(refused.status).toBe(416);
    expect(refused.body.error.code).toBe('range_not_satisfiable');
  });

  it('sends the whole file when If-Range names another version, and the range when it names this one', async () => {
    const stale = await clients.member.get(url(), { range: 'bytes=0-9', 'if-range': '"0000"' });
    expect(stale.status).toBe(200);
    expect(stale.body.length).toBe(plan.length);
    const fresh = await clients.member.get(url(), { range: 'bytes=0-9', 'if-range': `"${planVersion(onAgenda).sha256}"` });
    expect(fresh.status).toBe(206);
    expect(fresh.body.length).toBe(10);
  });

  it('answers HEAD with the headers and no body', async () => {
    const res = await clients.member.request('HEAD', url(), { headers: { range: 'bytes=100-199' }, csrf: false });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-length')).toBe('100');
    expect(res.body.length).toBe(0);
  });
});

describe('who may read a document version, on both routes', () => {
  type Who = keyof typeof clients;
  const cases: [string, () => ExaminedDossier, Who[], Who[]][] = [
    [
      'on a session agenda', () => onAgenda,
      ['owner', 'secretary', 'chair', 'member', 'consultative'],
      ['otherApplicant', 'otherSecretary', 'otherMember', 'anonymous'],
    ],
    [
      'on no agenda', () => offAgenda,
      ['owner', 'secretary'],
      ['chair', 'member', 'consultative', 'otherApplicant', 'otherSecretary', 'otherMember', 'anonymous'],
    ],
  ];
  it.each(cases)('a dossier %s', async (_what, dossier, allowed, refused) => {
    const v = planVersion(dossier());
    for (const route of [metadata(v.versionId), content(v.versionId)]) {
      for (const who of allowed) {
        const res = await clients[who].get(route, { range: 'bytes=0-99' });
        expect(res.status, `${who} ${route}`).toBe(route.endsWith('/content') ? 206 : 200);
      }
      for (const who of refused) {
        const res = await clients[who].get(route, { range: 'bytes=0-99' });
        expect(res.status, `${who} ${route}`).toBe(404);
        expect(res.body.error.code).toBe('not_found');
        // Nothing of the document: not even its ETag (its sha256).
        expect(res.headers.get('etag') ?? '').not.toContain(v.sha256);
        expect(res.headers.get('content-range')).toBeNull();
      }
    }
    const meta = await clients.owner.get(metadata(v.versionId));
    expect(meta.body).toMatchObject({ id: v.versionId, dossierId: dossier().dossierId, sha256: v.sha256, pageCount: 3, size: plan.length });
  });

  it('answers an unknown version with 404 and a malformed id with 400 to everyone', async () => {
    for (const who of ['owner', 'member', 'anonymous'] as const) {
      expect((await clients[who].get(content(999_999))).status).toBe(404);
      expect((await clients[who].get(metadata(999_999))).status).toBe(404);
      expect((await clients[who].get('/api/documents/versions/-4/content')).body.error.code).toBe('invalid_payload');
    }
  });
});
