import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgendaItem, AuditEntryRow, CommitteeOpinion, Vote } from '../../db/models';
import type { CitedMarkup } from '../../protocol/citations';
import type { DossierView } from '../../protocol/dossiers';
import type { Markup } from '../../protocol/markups';
import type { MinutesView } from '../../protocol/minutes';
import type { ClosedVoteView, OpenVoteView } from '../../protocol/voting';
import { agendaOfDossiers, type ExaminedDossier } from '../support/agenda';
import { cachedPlanPdf } from '../support/fixtures/planPdf';
import { ApiClient } from '../support/http';
import { createRemoteSession } from '../support/meeting';
import { joinedSocket, meetingData, meetingRequest as request, openSession, type MeetingClient } from '../support/meetingSocket';
import { pdfText } from '../support/pdfText';
import { startTestServer, type TestServer } from '../support/server';
import { execFileSync } from 'node:child_process';
import os from 'node:os';

let t: TestServer;
let sessionId: number;
let dossiers: ExaminedDossier[];
let item: number;
const sockets: MeetingClient[] = [];
let chair: MeetingClient;
let drawn: Markup[];
let closed: ClosedVoteView;

const refused = (code: string) => ({ ok: false, error: { code } });
const plan = () => dossiers[0]!.documents[4]!; // architect_plans, 2 pages of 842 × 1191 points

const joined = async (email: string) => (await joinedSocket(t.url, email, sessionId, sockets)).socket;

beforeAll(async () => {
  t = await startTestServer();
  sessionId = await createRemoteSession();
  const sheets = cachedPlanPdf({ pages: 2, paths: 20, segments: 10, seed: 16, width: 842, height: 1191 });
  dossiers = await agendaOfDossiers(t.url, sessionId, [{ architect_plans: sheets }]);
  item = (await AgendaItem.findOne({ where: { sessionId } }))!.id;
  chair = await joined('chair@ain-draham.tn');
  await openSession(chair);
  for (const voter of ['architect@ain-draham.tn', 'engineer@ain-draham.tn']) await joined(voter);
  await meetingData(chair, 'openItem', { agendaItemId: item });
  await meetingData(chair, 'present', { view: { versionId: plan().versionId, page: 1, zoom: { mode: 'fit-width' }, rotation: 0, scroll: { x: 0.5, y: 0.5 } } });
  const create = (page: number, kind: string, points: [number, number][], color = 'red') =>
    meetingData<Markup>(chair, 'markupCreate', { versionId: plan().versionId, page, kind, color, points });
  // Markups are drawn on the presented page only: 1 and 2 on page 1, 3 undone.
  drawn = [await create(1, 'cloud', [[100, 100], [400, 300]]), await create(1, 'arrow', [[500, 700], [600, 800]], 'blue'), await create(1, 'rectangle', [[10, 10], [50, 50]])];
  await meetingData(chair, 'markupUndo', {});
}, 180_000);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await t?.close();
});

const counts = async () => ({ votes: await Vote.count(), audit: await AuditEntryRow.count() });

describe('a vote whose conditions cite markups', () => {
  it('refuses unknown and deleted numbers, and too many, with stable codes, changing nothing', async () => {
    const before = await counts();
    const open = (markups: unknown) => request(chair, 'openVote', { agendaItemId: item, question: 'Avis ?', conditions: 'voir annotation 1', markups });
    expect(await open([1, 9])).toMatchObject({ ...refused('unknown_markup'), error: { details: { numbers: [9] } } });
    expect(await open([3])).toMatchObject({ ...refused('deleted_markup'), error: { details: { numbers: [3] } } });
    expect(await open(Array.from({ length: 13 }, (_, i) => i + 1))).toMatchObject(refused('invalid_payload'));
    expect(await open([0])).toMatchObject(refused('invalid_payload'));
    expect(await open('1')).toMatchObject(refused('invalid_payload'));
    expect(await counts()).toEqual(before);
  });

  it('opens with a frozen copy of each cited markup, the document version\'s id and sha256 with it', async () => {
    const view = await meetingData<OpenVoteView>(chair, 'openVote', {
      agendaItemId: item, question: 'Avis sur le dossier ?', conditions: 'Reculer le mur est à 5 m de la route, voir annotation 1 et annotation 2.', markups: [2, 1, 2],
    });
    expect(view.markups.map((m) => m.number)).toEqual([1, 2]);
    expect(view.markups[0]).toEqual({
      markupId: drawn[0]!.id, number: 1, kind: 'cloud', color: 'red', page: 1, documentId: drawn[0]!.documentId,
      documentVersionId: plan().versionId, documentSha256: plan().sha256, points: [[100, 100], [400, 300]],
      authorName: drawn[0]!.authorName, drawnAt: drawn[0]!.createdAt,
    } satisfies CitedMarkup);
    for (const s of sockets.slice(1, 3)) expect(await meetingData(s, 'castBallot', { voteId: view.id, choice: 'favourable_with_conditions' })).toMatchObject({ effect: 'record' });
    // The live markup deleted before the vote closes: the vote cites it as it was.
    await meetingData(chair, 'markupDelete', { markupId: drawn[0]!.id });
    await meetingData(chair, 'castBallot', { voteId: view.id, choice: 'favourable_with_conditions' });
    closed = await meetingData<ClosedVoteView>(chair, 'closeVote', { voteId: view.id, reasons: '' });
    expect(closed.outcome).toMatchObject({ valid: true, opinion: 'favourable_with_conditions' });
    expect(closed.markups).toEqual(view.markups);
  });

  it('writes the references to the opinion, which the applicant reads on the dossier', async () => {
    const opinion = (await CommitteeOpinion.findOne({ where: { agendaItemId: item } }))!;
    expect(opinion.markups).toEqual(closed.markups);
    const amina = await ApiClient.loggedIn(t.url, 'amina@example.tn');
    const dossier = (await amina.get(`/api/dossiers/${dossiers[0]!.dossierId}`)).body as DossierView;
    expect(dossier.opinions).toHaveLength(1);
    const [o] = dossier.opinions;
    expect(o!.conditions).toContain('annotation 1');
    expect(o!.markups.map((m) => [m.number, m.kind, m.page, m.documentVersionId, m.documentSha256, m.points])).toEqual([
      [1, 'cloud', 1, plan().versionId, plan().sha256, [[100, 100], [400, 300]]],
      [2, 'arrow', 1, plan().versionId, plan().sha256, [[500, 700], [600, 800]]],
    ]);
    const audit = (await AuditEntryRow.findAll({ where: { action: 'vote.opened' } })).at(-1)!;
    expect(JSON.stringify(audit.payload)).toContain(plan().sha256);
  });
});

describe('the marked-up page image', () => {
  let route: string;
  let amina: ApiClient;

  beforeAll(async () => {
    amina = await ApiClient.loggedIn(t.url, 'amina@example.tn');
    const [o] = ((await amina.get(`/api/dossiers/${dossiers[0]!.dossierId}`)).body as DossierView).opinions;
    route = `/api/opinions/${o!.id}/pages/${plan().versionId}/1`;
  });

  it('is the cited page of that version (1400 px on its long side) with the markups drawn where they are on the page', async () => {
    const res = await amina.get(route);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const { data, info } = await sharp(res.body as Buffer).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    // An 842 × 1191-point page: 990 × 1400 pixels.
    expect([info.width, info.height]).toEqual([990, 1400]);
    const px = (x: number, y: number) => {
      const [sx, sy] = [Math.round((x / 842) * info.width), Math.round(((1191 - y) / 1191) * info.height)];
      const i = (sy * info.width + sx) * 3;
      return [data[i]!, data[i + 1]!, data[i + 2]!];
    };
    // Markup 2, a blue arrow from (500, 700) to (600, 800): its middle is blue (#1456d8).
    const [r, g, b] = px(550, 750);
    expect(b).toBeGreaterThan(180);
    expect(r).toBeLessThan(80);
    expect(g).toBeLessThan(130);
    // Markup 1, the red cloud from (100, 100) to (400, 300), deleted since: the opinion's copy is drawn. Its badge sits at its first corner.
    const [br, bg, bb] = px(100 - 8, 100 + 8);
    expect(br).toBeGreaterThan(180);
    expect(Math.max(bg, bb)).toBeLessThan(80);
  });

  it('is made once: kept on disk by content, page and markups, and revalidated by its ETag', async () => {
    const first = await amina.get(route);
    const etag = first.headers.get('etag')!;
    expect(first.headers.get('cache-control')).toContain('immutable');
    const cached = fs.readdirSync(path.join(t.dataDir, 'cache', 'marked-pages'), { recursive: true }).filter((f) => String(f).endsWith('.png'));
    expect(cached).toHaveLength(1);
    expect((await amina.get(route, { 'if-none-match': etag })).status).toBe(304);
  });

  it('is served with the documents\' access rules: the office and the members read it; another applicant, another municipality, and a page or version the opinion does not cite get 404', async () => {
    for (const email of ['secretary@ain-draham.tn', 'architect@ain-draham.tn', 'sonede@ain-draham.tn']) {
      expect((await (await ApiClient.loggedIn(t.url, email)).get(route)).status, email).toBe(200);
    }
    for (const email of ['youssef@example.tn', 'chair@tabarka.tn', 'information@ain-draham.tn']) {
      const res = await (await ApiClient.loggedIn(t.url, email)).get(route);
      expect([res.status, res.body.error?.code], email).toEqual([404, 'not_found']);
    }
    expect((await new ApiClient(t.url).get(route)).status).toBe(401);
    const other = dossiers[0]!.documents[0]!.versionId;
    const [opinionId] = route.split('/').slice(3, 4);
    for (const bad of [`/api/opinions/${opinionId}/pages/${plan().versionId}/2`, `/api/opinions/${opinionId}/pages/${other}/1`, `/api/opinions/999999/pages/${plan().versionId}/1`]) {
      expect((await amina.get(bad)).status, bad).toBe(404);
    }
    for (const bad of [`/api/opinions/${opinionId}/pages/${plan().versionId}/0`, `/api/opinions/x/pages/${plan().versionId}/1`, `/api/opinions/${opinionId}/pages/${plan().versionId}/01`]) {
      expect((await amina.get(bad)).body.error.code, bad).toBe('invalid_payload');
    }
  });
});

describe('the minutes', () => {
  let office: ApiClient;
  let draft: MinutesView;
  let finalized: MinutesView;
  const pdfs = new Map<string, Buffer>();

  beforeAll(async () => {
    office = await ApiClient.loggedIn(t.url, 'secretary@ain-draham.tn');
    draft = (await office.get(`/api/minutes/${sessionId}`)).body as MinutesView;
    await meetingData(chair, 'endSession', {});
    const res = await office.post(`/api/minutes/${sessionId}/finalize`);
    expect(res.status).toBe(200);
    finalized = res.body as MinutesView;
    for (const lang of ['ar', 'fr']) pdfs.set(lang, (await office.get(`/api/minutes/${sessionId}/pdf?lang=${lang}`)).body as Buffer);
  }, 120_000);

  it('list the item\'s markups in the draft: the shown ones and the cited copies (a cited one deleted since stays), the undone one left out', () => {
    const [entry] = draft.content.items;
    const fileName = entry!.documents.find((d) => d.sha256 === plan().sha256)!.fileName;
    expect(fileName).toMatch(/\.pdf$/);
    expect(entry!.markups!.map((m) => [m.number, m.kind, m.page, m.cited, m.documentSha256, m.fileName])).toEqual([
      [1, 'cloud', 1, true, plan().sha256, fileName],
      [2, 'arrow', 1, true, plan().sha256, fileName],
    ]);
    expect(entry!.markups![0]!.authorName).toEqual(drawn[0]!.authorName);
    expect(finalized.content.items[0]!.markups).toEqual(entry!.markups);
  });

  it('list them in both PDFs, with the cited marked-up page printed as an image and its caption', () => {
    const words = { ar: ['العلامات على المخططات', 'سحابة', 'سهم', 'مذكورة في الشروط', 'الصفحة'], fr: ['Annotations sur les plans', '#1 nuage', '#2 flèche', 'citée par les conditions', 'page 1 — annotations 1, 2'] };
    for (const [lang, pdf] of pdfs) {
      const text = pdfText(pdf);
      for (const w of words[lang as 'ar' | 'fr']) expect(text, `${lang}: ${w}`).toContain(w);
      expect(text).toContain(plan().sha256.slice(0, 12));
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lajna-pdfimages-'));
      try {
        fs.writeFileSync(path.join(dir, 'm.pdf'), pdf);
        const list = execFileSync('pdfimages', ['-list', path.join(dir, 'm.pdf')], { encoding: 'utf8' }).split('\n').slice(2).filter((l) => l.trim());
        // The 990 × 1400 rendering of page 1 (and its alpha channel as a soft mask).
        expect(list.some((l) => /\bimage\s+990\s+1400\b/.test(l)), list.join('\n')).toBe(true);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});
