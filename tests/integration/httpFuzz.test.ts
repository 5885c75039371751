import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { User } from '../../db/models';
import { LoginBody } from '../../protocol/auth';
import { CreateDossierBody, MessageBody, NoteBody, RequestDocumentsBody, UpdateDossierBody } from '../../protocol/dossiers';
import { ERROR_CODES } from '../../protocol/errors';
import { AssignComplaintBody, CreateComplaintBody, RejectComplaintBody, ResolveComplaintBody } from '../../protocol/complaints';
import { AnswerBody, AppealBody, CreateInformationRequestBody, DecideAppealBody, ExtendBody, RedirectBody, RefuseBody } from '../../protocol/informationRequests';
import { CaseSettingsBody, SmsSettingsBody, UpdateContactBody } from '../../protocol/personalData';
import { MinutesTextBody, SignMinutesBody } from '../../protocol/minutes';
import { ImportCertificateBody, ImportCertificateForBody, SignArreteBody } from '../../protocol/signing';
import { SeatBody, SmsQuotaBody } from '../../protocol/municipalities';
import { RecordDecisionBody } from '../../protocol/opinions';
import { AgendaBody, ConveneBody, CreateSessionBody } from '../../protocol/sessions';
import { InviteGuestBody, RedeemBody } from '../../protocol/hearings';
import { ApiClient } from '../support/http';
import { httpRoutes, type HttpRoute } from '../support/httpRoutes';
import { invalidInputs, storeSnapshot } from '../support/schemaFuzz';
import { startTestServer, type TestServer } from '../support/server';

/**
 * Every HTTP route, driven with malformed, oversized, wrong-type and wrong-role inputs: each
 * answer is a 4xx with a stable code (never a 5xx, never a hang), nothing in the database or the
 * document store changes, and the server still answers /api/health. Routes come from the
 * routers themselves; a route this table does not describe fails the test by its name.
 */
type Body = z.ZodType | 'none' | 'multipart' | 'pdf';
const BODIES: Record<string, Body> = {
  'POST /api/auth/login': LoginBody,
  'POST /api/auth/logout': 'none',
  'POST /api/dossiers': CreateDossierBody,
  'PATCH /api/dossiers/:id': UpdateDossierBody,
  'POST /api/dossiers/:id/submit': 'none',
  'POST /api/dossiers/:id/request-documents': RequestDocumentsBody,
  'POST /api/dossiers/:id/complete': NoteBody,
  'POST /api/dossiers/:id/withdraw': NoteBody,
  'POST /api/dossiers/:id/decision': RecordDecisionBody,
  'POST /api/dossiers/:id/messages': MessageBody,
  'PUT /api/dossiers/:id/documents/:itemCode': 'multipart',
  'POST /api/sessions': CreateSessionBody,
  'PUT /api/sessions/:id/agenda': AgendaBody,
  'POST /api/sessions/:id/convene': ConveneBody,
  'POST /api/verify': 'pdf',
  'PATCH /api/minutes/:sessionId': MinutesTextBody,
  'POST /api/minutes/:sessionId/finalize': 'none',
  'POST /api/minutes/:sessionId/signatures': SignMinutesBody,
  'POST /api/arretes/:dossierId/signature': SignArreteBody,
  'POST /api/signing/certificates': ImportCertificateBody,
  'POST /api/signing/municipalities/:id/signers/:userId/certificates': ImportCertificateForBody,
  'POST /api/information-requests': CreateInformationRequestBody,
  'POST /api/information-requests/:id/extend': ExtendBody,
  'POST /api/information-requests/:id/redirect': RedirectBody,
  'POST /api/information-requests/:id/answer': AnswerBody,
  'POST /api/information-requests/:id/refuse': RefuseBody,
  'POST /api/information-requests/:id/appeal': AppealBody,
  'POST /api/information-requests/:id/appeal/decision': DecideAppealBody,
  'POST /api/information-requests/:id/messages': MessageBody,
  'POST /api/information-requests/:id/documents': 'multipart',
  'PUT /api/municipalities/:id/committee/seats/:userId': SeatBody,
  'DELETE /api/municipalities/:id/committee/seats/:userId': 'none',
  'PUT /api/municipalities/:id/sms-quota': SmsQuotaBody,
  'POST /api/complaints': CreateComplaintBody,
  'POST /api/complaints/:id/photos': 'multipart',
  'POST /api/complaints/:id/assign': AssignComplaintBody,
  'POST /api/complaints/:id/resolve': ResolveComplaintBody,
  'POST /api/complaints/:id/reject': RejectComplaintBody,
  'POST /api/complaints/:id/messages': MessageBody,
  'PATCH /api/me/contact': UpdateContactBody,
  'PUT /api/me/sms': SmsSettingsBody,
  'PUT /api/case-settings/:municipalityId': CaseSettingsBody,
  'POST /api/hearings': InviteGuestBody,
  'POST /api/hearings/redeem': RedeemBody,
  'POST /api/hearings/:id/revoke': 'none',
};
/** Routes anyone may call with anything (public reads, logging out without a session): they may answer 2xx, never 5xx. */
const OPEN = new Set(['GET /api/health', 'GET /api/municipalities', 'GET /api/public/sessions', 'GET /api/public/opinions', 'POST /api/auth/logout', 'GET /api/auth/me', 'GET /api/minutes', 'GET /api/sessions', 'GET /api/dossiers', 'GET /api/signing/ca/:code']);
const SAFE = new Set(['GET', 'HEAD']);

const BAD_IDS = ['0x10', '1e1', '+5', '05', '%205', '5%20', '1.0', '-1', '0', '99999999999', '9007199254740993', 'abc', '%00', '%E2%80%AE1', 'x'.repeat(300), '__proto__'];

let t: TestServer;
let roles: Record<'anonymous' | 'applicant' | 'otherMunicipality' | 'secretary', ApiClient>;
/** Ids the applicant and the office may reach, so that bodies are checked past the access rules. */
let ids: Record<string, string>;

beforeAll(async () => {
  t = await startTestServer();
  roles = {
    anonymous: new ApiClient(t.url),
    applicant: await ApiClient.loggedIn(t.url, 'amina@example.tn'),
    otherMunicipality: await ApiClient.loggedIn(t.url, 'member@tabarka.tn'),
    secretary: await ApiClient.loggedIn(t.url, 'secretary@ain-draham.tn'),
  };
  await roles.anonymous.get('/api/health');
  const dossiers = (await roles.applicant.get('/api/dossiers')).body as { id: number }[];
  const withDocs = await (async () => {
    for (const d of dossiers) {
      const docs = (await roles.applicant.get(`/api/dossiers/${d.id}/documents`)).body as { currentVersion: { id: number } }[];
      if (docs.length) return { dossier: d.id, version: docs[0]!.currentVersion.id };
    }
    throw new Error('no demo dossier with documents');
  })();
  const sessions = (await roles.secretary.get('/api/sessions')).body as { id: number }[];
  ids = { id: String(withDocs.dossier), versionId: String(withDocs.version), sessionId: String(sessions[0]!.id), itemCode: 'architect_plans', documentId: '1', photoId: '1', municipalityId: '1', userId: String((await User.findOne({ where: { email: 'architect@ain-draham.tn' } }))!.id), code: 'ADR', dossierId: String(withDocs.dossier), opinionId: '1', page: '1' };
}, 180_000);
afterAll(() => t?.close());

function fill(route: HttpRoute, values: Record<string, string>): string {
  return route.path.replace(/:(\w+)/g, (_m, name: string) => {
    if (!(name in values)) throw new Error(`${route.method} ${route.path}: no value for :${name}; add it to the fuzz test's ids`);
    return values[name]!;
  });
}

type Sent = { client: ApiClient; method: string; url: string; init?: Parameters<ApiClient['request']>[2]; mustRefuse: boolean };

async function expectRefused(s: Sent) {
  const res = await s.client.request(s.method, s.url, s.init);
  const label = `${s.method} ${s.url.slice(0, 120)} ${JSON.stringify(s.init?.body ?? s.init?.raw ?? '').slice(0, 120)} ${JSON.stringify(s.init?.headers ?? {})} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
  expect(res.status, label).toBeLessThan(500);
  if (s.mustRefuse) expect(res.status, label).toBeGreaterThanOrEqual(400);
  if (res.status >= 400) {
    expect(ERROR_CODES, label).toContain(res.body?.error?.code);
    expect(JSON.stringify(res.body), label).not.toMatch(/SQLITE|Sequelize|at \w+ \(|\.ts:\d|mediasoup|ENOENT|EACCES/i);
  }
}

describe('HTTP fuzz: every route', () => {
  it('knows every route of the routers (a new route must say what body it takes here)', () => {
    const routes = httpRoutes(t.server.app).filter((r) => r.path.startsWith('/api/'));
    expect(routes.length).toBeGreaterThan(30);
    const missing = routes.filter((r) => !SAFE.has(r.method) && !(`${r.method} ${r.path}` in BODIES)).map((r) => `${r.method} ${r.path}`);
    expect(missing, 'state-changing routes the fuzz table does not describe').toEqual([]);
    const stale = Object.keys(BODIES).filter((k) => !routes.some((r) => `${r.method} ${r.path}` === k));
    expect(stale, 'fuzz table entries for routes that no longer exist').toEqual([]);
  });

  it('answers every malformed, oversized, wrong-type and wrong-role input with a 4xx and a stable code, writes nothing, and stays up', async () => {
    const routes = httpRoutes(t.server.app).filter((r) => r.path.startsWith('/api/'));
    let sent = 0;
    for (const route of routes) {
      const key = `${route.method} ${route.path}`;
      const body = BODIES[key] ?? 'none';
      const before = await storeSnapshot(t);
      const cases: Sent[] = [];
      const hasParams = route.path.includes(':');

      // Ids that are not canonical, or out of range, in every position, as the applicant and the office.
      for (const param of route.path.match(/:(\w+)/g) ?? []) {
        for (const bad of BAD_IDS) {
          const url = fill(route, { ...ids, [param.slice(1)]: bad });
          for (const client of [roles.applicant, roles.secretary]) cases.push({ client, method: route.method, url, mustRefuse: true, init: body instanceof z.ZodType ? { body: {} } : undefined });
        }
      }
      const url = hasParams ? fill(route, ids) : route.path;
      // Wrong roles with real ids: nobody, and a member of another municipality.
      if (hasParams || !SAFE.has(route.method)) {
        // (Without an id, another municipality's member is a rightful caller: logging out would log them out.)
        for (const client of hasParams ? [roles.anonymous, roles.otherMunicipality] : [roles.anonymous]) {
          if (body === 'none' || SAFE.has(route.method)) cases.push({ client, method: route.method, url, mustRefuse: !OPEN.has(key) });
        }
      }
      // Junk query strings (on reads, and on writes whose body is refused anyway: a body-less write would be done).
      if (SAFE.has(route.method) || body instanceof z.ZodType) cases.push({ client: roles.applicant, method: route.method, url: `${url}?status=x&status=y&municipalityId=0x1&lang[]=ar&hash=${'f'.repeat(65)}`, mustRefuse: false, init: body instanceof z.ZodType ? { body: null } : undefined });
      // Bodies: generated from the schema, then bodies that are not JSON objects at all.
      if (body instanceof z.ZodType) {
        const bodies = invalidInputs(body);
        for (const client of Object.values(roles)) for (const b of bodies) cases.push({ client, method: route.method, url, mustRefuse: true, init: { body: b } });
        for (const client of [roles.applicant, roles.secretary]) {
          for (const raw of ['{"a":', '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[', `"${'x'.repeat(300 * 1024)}"`, '{"a":1e999}', '{"__proto__":{"admin":true},"constructor":{"prototype":{"admin":true}}}', `${'['.repeat(5000)}${']'.repeat(5000)}`, '\u0000']) {
            cases.push({ client, method: route.method, url, mustRefuse: true, init: { raw, headers: { 'content-type': 'application/json' } } });
          }
          cases.push({ client, method: route.method, url, mustRefuse: true, init: { raw: 'a=1&b=2', headers: { 'content-type': 'application/x-www-form-urlencoded' } } });
          cases.push({ client, method: route.method, url, mustRefuse: true, init: { raw: '{}', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } } });
        }
      }
      if (body === 'multipart') {
        const form = (name: string, bytes: string, type = 'application/pdf') => {
          const f = new FormData();
          f.append(name, new Blob([bytes], { type }), 'x.pdf');
          return f;
        };
        for (const init of [
          { body: { file: 'not multipart' } },
          { raw: '--b\r\nContent-Disposition: form-data; name="file"\r\n\r\nno end', headers: { 'content-type': 'multipart/form-data; boundary=b' } },
          { raw: 'x', headers: { 'content-type': 'multipart/form-data' } },
          { raw: form('other', '%PDF-1.7 nope') },
          { raw: form('file', 'not a pdf at all', 'text/plain') },
          { raw: form('file', '%PDF-1.7\n%%EOF') },
          { raw: form('file', '') },
        ]) cases.push({ client: roles.applicant, method: route.method, url, mustRefuse: true, init });
      }
      if (body === 'pdf') {
        for (const init of [{ raw: 'x', headers: { 'content-type': 'text/plain' } }, { raw: '', headers: { 'content-type': 'application/pdf' } }, { body: { hash: 'x' } }]) {
          cases.push({ client: roles.anonymous, method: route.method, url, mustRefuse: true, init });
        }
      }

      for (const c of cases) await expectRefused(c);
      sent += cases.length;
      expect(await storeSnapshot(t), `${key} wrote something`).toEqual(before);
      expect((await fetch(`${t.url}/api/health`)).status, `${key} left the server down`).toBe(200);
    }
    console.log(`HTTP fuzz: ${routes.length} routes, ${sent} requests`);
  }, 600_000);

  it('answers a method a path does not have with 404 and a stable code', async () => {
    const routes = httpRoutes(t.server.app).filter((r) => r.path.startsWith('/api/'));
    const deletable = new Set(routes.filter((r) => r.method === 'DELETE').map((r) => r.path));
    for (const p of new Set(routes.filter((r) => !deletable.has(r.path)).map((r) => fill(r, ids)))) {
      const res = await roles.secretary.request('DELETE', p);
      expect(res.status, p).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
  });
});
