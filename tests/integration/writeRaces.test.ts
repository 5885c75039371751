import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgendaItem, CommitteeSeat, CommitteeSession, DocumentVersion, DossierDocument, Vote } from '../../db/models';
import { DocumentStore } from '../../server/services/documentStore';
import { RightsFeed } from '../../server/services/RightsFeed';
import { SessionService } from '../../server/services/SessionService';
import { VoteService } from '../../server/services/votes';
import { agendaOfDossiers, smallPdf } from '../support/agenda';
import { cachedPlanPdf } from '../support/fixtures/planPdf';
import { ApiClient } from '../support/http';
import { createRemoteSession } from '../support/meeting';
import { openedByChair } from '../support/meetingSocket';
import { startTestServer, type TestServer } from '../support/server';

let t: TestServer;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  t = await startTestServer();
}, 60_000);
afterAll(() => t.close());

describe('writes that race', () => {
  it('the chair ending the session and opening a vote at the same moment: exactly one succeeds, in either order', async () => {
    const sessions = new SessionService(t.server.sequelize, new RightsFeed());
    const votes = new VoteService(t.server.sequelize);
    for (let run = 0; run < 2; run++) {
      const sessionId = await createRemoteSession();
      const [dossier] = await agendaOfDossiers(t.url, sessionId, [{}]);
      await openedByChair(t.url, sessionId);
      const session = (await CommitteeSession.findByPk(sessionId))!;
      const seats = await CommitteeSeat.findAll({ where: { committeeId: session.committeeId } });
      const chairId = seats.find((s) => s.kind === 'chair')!.userId;
      const agendaItem = (await AgendaItem.findOne({ where: { sessionId, dossierId: dossier!.dossierId } }))!;
      const end = () => sessions.end(sessionId, chairId);
      const open = () => votes.open(agendaItem.id, chairId, 'Avis ?', '', seats.map((s) => s.userId));
      const [first, second] = await Promise.allSettled(run % 2 ? [open(), end()] : [end(), open()]);
      const outcomes = [first, second].map((r) => r.status);
      expect(outcomes.filter((s) => s === 'fulfilled'), `run ${run}`).toHaveLength(1);
      const status = (await CommitteeSession.findByPk(sessionId))!.status;
      const openVotes = await Vote.count({ where: { agendaItemId: agendaItem.id, status: 'open' } });
      // Either the session ended with no vote open on it, or the vote opened in the session still live.
      const ended = (run % 2 ? second : first).status === 'fulfilled';
      expect([status, openVotes], `run ${run}`).toEqual(ended ? ['closed', 0] : ['live', 1]);
    }
  }, 120_000);

  it('an upload that finishes after its dossier was submitted is refused 409 inside the write; its stored file is removed at the next start', async () => {
    const amina = await ApiClient.loggedIn(t.url, 'amina@example.tn');
    const created = await amina.post('/api/dossiers', {
      municipalityId: 1, typeCode: 'new_building', location: { address: 'Rue des Chênes 3, Aïn Draham', parcelRef: 'TF 77/Jendouba' },
      coveredAreaM2: 150, levels: 2, nearProtectedSite: false,
    });
    const dossierId = created.body.id as number;
    for (const item of ['signed_request', 'property_certificate', 'tax_receipts', 'topographic_survey', 'architect_plans']) {
      const form = new FormData();
      form.append('file', new Blob([fs.readFileSync(smallPdf())], { type: 'application/pdf' }), `${item}.pdf`);
      expect((await amina.request('PUT', `/api/dossiers/${dossierId}/documents/${item}`, { raw: form })).status).toBe(201);
    }
    const versions = await DocumentVersion.count();

    // A second version of the plans, of its own bytes: the request starts while the dossier is a draft…
    const bytes = fs.readFileSync(cachedPlanPdf({ pages: 2, paths: 20, segments: 10, seed: 9191, width: 595, height: 842 }));
    const boundary = 'lajna-race-boundary';
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="plans-v2.pdf"\r\nContent-Type: application/pdf\r\n\r\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const url = new URL(`${t.url}/api/dossiers/${dossierId}/documents/architect_plans`);
    const answer = new Promise<{ status: number; body: any }>((resolve, reject) => {
      const req = http.request(url, {
        method: 'PUT',
        headers: {
          'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + bytes.length + tail.length,
          cookie: amina.cookieHeader, 'x-csrf-token': amina.cookies.get('lajna_csrf')!,
        },
      }, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
      });
      req.on('error', reject);
      req.write(Buffer.concat([head, bytes.subarray(0, 1000)]));
      // …and finishes after the applicant submitted it from another tab.
      void sleep(500).then(async () => {
        expect((await amina.post(`/api/dossiers/${dossierId}/submit`)).status).toBe(200);
        req.end(Buffer.concat([bytes.subarray(1000), tail]));
      });
    });
    const res = await answer;
    expect(res).toMatchObject({ status: 409, body: { error: { code: 'invalid_transition' } } });
    expect(await DocumentVersion.count()).toBe(versions);
    const plans = (await DossierDocument.findOne({ where: { dossierId, itemCode: 'architect_plans' } }))!;
    expect(await DocumentVersion.count({ where: { documentId: plans.id } })).toBe(1);

    // The refused upload's content was kept (synced) before the write; the next start removes it, and only it.
    const sha = crypto.createHash('sha256').update(bytes).digest('hex');
    const file = path.join(t.dataDir, 'documents', DocumentStore.relativePath(sha));
    expect(fs.existsSync(file)).toBe(true);
    const stored = (await DocumentVersion.findAll()).map((v) => path.join(t.dataDir, 'documents', v.storagePath));
    await t.close({ keep: true });
    t = await startTestServer(() => {}, { store: t.store });
    expect(fs.existsSync(file)).toBe(false);
    expect(stored.every((f) => fs.existsSync(f))).toBe(true);
    expect(fs.readdirSync(path.join(t.dataDir, 'documents', 'pending'))).toEqual([]);
  }, 120_000);
});
