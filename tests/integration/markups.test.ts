import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgendaItem, MarkupRow, User } from '../../db/models';
import type { Markup, MarkupsSnapshot, PageScale, PagePoint } from '../../protocol/markups';
import { STROKE_MAX_POINTS, MARKUP_TEXT_MAX_CHARS } from '../../protocol/markups';
import type { PresentedView } from '../../protocol/presentation';
import { markupsByNumbers, markupsOfItem } from '../../server/services/markups';
import { agendaOfDossiers, type ExaminedDossier } from '../support/agenda';
import { cachedPlanPdf } from '../support/fixtures/planPdf';
import { KNOWN_DIMENSION, scaledPlanPdf } from '../support/fixtures/scaledPlanPdf';
import { createRemoteSession } from '../support/meeting';
import { joinedSocket, meetingData, meetingRequest as request, nextEvent as next, openSession, type MeetingClient } from '../support/meetingSocket';
import { startTestServer, type TestServer } from '../support/server';

let t: TestServer;
let sessionId: number;
let dossiers: ExaminedDossier[];
let items: number[];
const ids: Record<string, number> = {};
const sockets: MeetingClient[] = [];

const CHAIR = 'chair@ain-draham.tn';
const ARCHITECT = 'architect@ain-draham.tn';
const ENGINEER = 'engineer@ain-draham.tn';

async function joined(email: string): Promise<{ socket: MeetingClient; markups: MarkupsSnapshot }> {
  const { socket, snapshot } = await joinedSocket(t.url, email, sessionId, sockets);
  return { socket, markups: snapshot.features.markups };
}
const refused = (code: string) => ({ ok: false, error: { code } });
const view = (versionId: number, page = 1): PresentedView => ({ versionId, page, zoom: { mode: 'fit-width' }, rotation: 0, scroll: { x: 0.5, y: 0.5 } });
const plan = () => dossiers[0]!.documents[4]!; // architect_plans, 3 pages
const other = () => dossiers[0]!.documents[0]!;
const line = (x0: number, y0: number, x1: number, y1: number): PagePoint[] => [[x0, y0], [x1, y1]];
const create = (socket: MeetingClient, extra: Record<string, unknown> = {}) =>
  request<Markup>(socket, 'markupCreate', { versionId: plan().versionId, page: 1, kind: 'arrow', color: 'red', points: line(100, 100, 200, 200), ...extra });

beforeAll(async () => {
  t = await startTestServer();
  sessionId = await createRemoteSession();
  const sheets = cachedPlanPdf({ pages: 3, paths: 20, segments: 10, seed: 16, width: 842, height: 1191 });
  dossiers = await agendaOfDossiers(t.url, sessionId, [{ architect_plans: sheets }, { architect_plans: await scaledPlanPdf({ declareScale: true }) }]);
  items = (await AgendaItem.findAll({ where: { sessionId }, order: [['position', 'ASC']] })).map((a) => a.id);
  for (const email of [CHAIR, ARCHITECT, ENGINEER]) ids[email] = (await User.findOne({ where: { email } }))!.id;
}, 120_000);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await t?.close();
});

describe('markups on the shared page', () => {
  let chair: MeetingClient, architect: MeetingClient, engineer: MeetingClient;

  it('has nothing before an item is open; the presenter may not draw before a version is presented', async () => {
    const c = await joined(CHAIR);
    chair = c.socket;
    await openSession(chair);
    expect(c.markups).toEqual({ agendaItemId: null, markups: [], scales: [], drawers: [] });
    architect = (await joined(ARCHITECT)).socket;
    engineer = (await joined(ENGINEER)).socket;
    const snapshot = next(architect, 'markups');
    await meetingData(chair, 'openItem', { agendaItemId: items[0] });
    expect(await snapshot).toEqual({ agendaItemId: items[0], markups: [], scales: [], drawers: [] });
    expect(await create(chair)).toMatchObject(refused('not_presented'));
  });

  it('streams the presenter\'s stroke to the others, and keeps the markup numbered with its author', async () => {
    await meetingData(chair, 'present', { view: view(plan().versionId) });
    const piece = next(architect, 'markupStroke');
    await meetingData(chair, 'markupStroke', { stroke: 's1', versionId: plan().versionId, page: 1, kind: 'pen', color: 'blue', points: line(10, 10, 20, 25) });
    expect(await piece).toEqual({ stroke: 's1', versionId: plan().versionId, page: 1, kind: 'pen', color: 'blue', points: line(10, 10, 20, 25), userId: ids[CHAIR] });
    const created = next(engineer, 'markupCreated');
    const first = await meetingData<Markup>(chair, 'markupCreate', { stroke: 's1', versionId: plan().versionId, page: 1, kind: 'pen', color: 'blue', points: [[10, 10], [20, 25], [30, 28]] });
    expect(first).toMatchObject({
      agendaItemId: items[0], number: 1, documentVersionId: plan().versionId, documentSha256: plan().sha256, page: 1, kind: 'pen', color: 'blue',
      points: [[10, 10], [20, 25], [30, 28]], authorId: ids[CHAIR], deletedAt: null,
    });
    expect(first.authorName.fr).not.toBe('');
    expect(await created).toEqual({ markup: first, stroke: 's1' });
  });

  it('refuses a member without drawing rights, until the chair grants them', async () => {
    expect(await create(architect)).toMatchObject(refused('no_drawing_rights'));
    expect(await request(architect, 'markupStroke', { stroke: 'a', versionId: plan().versionId, page: 1, kind: 'pen', color: 'red', points: [[1, 1]] })).toMatchObject(refused('no_drawing_rights'));
    expect(await request(architect, 'setDrawing', { userId: ids[ARCHITECT], allowed: true })).toMatchObject(refused('forbidden'));
    const drawers = next(engineer, 'drawers');
    await meetingData(chair, 'setDrawing', { userId: ids[ARCHITECT], allowed: true });
    expect(await drawers).toEqual({ userIds: [ids[ARCHITECT]] });
    const second = await create(architect);
    expect(second).toMatchObject({ ok: true, data: { number: 2, authorId: ids[ARCHITECT], kind: 'arrow' } });
  });

  it('refuses another version than the presented one, a page it lacks, oversized strokes and text, and wrong point counts', async () => {
    // The chair's second tab: refusals take tokens of the socket's rate too.
    const chair = (await joined(CHAIR)).socket;
    expect(await create(chair, { versionId: other().versionId })).toMatchObject(refused('not_presented'));
    expect(await create(chair, { page: 4 })).toMatchObject(refused('invalid_payload'));
    const many = Array.from({ length: STROKE_MAX_POINTS + 1 }, (_, i): PagePoint => [i, i]);
    expect(await request(chair, 'markupStroke', { stroke: 'x', versionId: plan().versionId, page: 1, kind: 'pen', color: 'red', points: many })).toMatchObject(refused('invalid_payload'));
    expect(await create(chair, { kind: 'text', points: [[5, 5]], text: 'x'.repeat(MARKUP_TEXT_MAX_CHARS + 1) })).toMatchObject(refused('invalid_payload'));
    expect(await create(chair, { kind: 'text', points: [[5, 5]] })).toMatchObject(refused('invalid_payload'));
    expect(await create(chair, { kind: 'arrow', points: [[5, 5], [6, 6], [7, 7]] })).toMatchObject(refused('invalid_payload'));
    expect(await create(chair, { color: 'pink' })).toMatchObject(refused('invalid_payload'));
    expect(await create(chair, { points: [[Number.MAX_VALUE, 0], [0, 0]] })).toMatchObject(refused('invalid_payload'));
    expect(await MarkupRow.count({ where: { agendaItemId: items[0] } })).toBe(2);
  });

  it('refuses a distance without a scale, then measures it once the page is calibrated (shared, with who calibrated)', async () => {
    expect(await create(chair, { kind: 'distance', points: line(0, 0, 300, 0) })).toMatchObject(refused('no_scale'));
    expect(await request(chair, 'calibrate', { versionId: plan().versionId, page: 1, points: line(0, 0, 2, 0), metres: 1 })).toMatchObject(refused('invalid_payload'));
    const told = next(engineer, 'pageScale');
    // 283.46 points (10 cm at 72 dpi) are 10 m: 1:100.
    const scale = await meetingData<PageScale>(chair, 'calibrate', { versionId: plan().versionId, page: 1, points: line(100, 100, 100 + 283.4646, 100), metres: 10 });
    expect(scale).toMatchObject({ documentSha256: plan().sha256, page: 1, source: 'calibration', ratio: 100 });
    expect(scale.metresPerPoint).toBeCloseTo(10 / 283.4646, 9);
    expect(scale.by?.fr).not.toBe('');
    expect(await told).toEqual(scale);
    const d = await meetingData<Markup>(chair, 'markupCreate', { versionId: plan().versionId, page: 1, kind: 'distance', color: 'green', points: line(0, 0, 141.7323, 0) });
    expect(d.measurement!.unit).toBe('m');
    expect(d.measurement!.value).toBeCloseTo(5, 6);
    const a = await meetingData<Markup>(chair, 'markupCreate', { versionId: plan().versionId, page: 1, kind: 'area', color: 'green', points: [[0, 0], [141.7323, 0], [141.7323, 141.7323], [0, 141.7323]] });
    expect(a.measurement).toEqual({ unit: 'm2', value: expect.closeTo(25, 6) });
    // Page 2 has no scale of its own.
    expect(await create(chair, { page: 2, kind: 'distance', points: line(0, 0, 300, 0) })).toMatchObject(refused('no_scale'));
  });

  it('undoes only one\'s own last markup; the chair deletes any; others may not delete', async () => {
    const undone = next(engineer, 'markupDeleted');
    const u = await meetingData<Markup>(architect, 'markupUndo', {});
    expect(u).toMatchObject({ number: 2, authorId: ids[ARCHITECT], deletedAt: expect.any(String) });
    expect(await undone).toEqual(u);
    expect(await request(architect, 'markupUndo', {})).toMatchObject(refused('not_found'));
    expect(await request(architect, 'markupDelete', { markupId: u.id })).toMatchObject(refused('forbidden'));
    const [firstId] = (await markupsOfItem(items[0]!)).map((m) => m.id);
    expect(await meetingData<Markup>(chair, 'markupDelete', { markupId: firstId })).toMatchObject({ number: 1, deletedAt: expect.any(String) });
    expect(await request(chair, 'markupDelete', { markupId: 999_999 })).toMatchObject(refused('not_found'));
  });

  it('gives distinct numbers to concurrent creates', async () => {
    const made = await Promise.all([...Array(6)].map((_, i) => (i % 2 ? create(architect) : create(chair))));
    const numbers = made.map((r) => (r.ok ? r.data.number : -1)).sort((x, y) => x - y);
    expect(numbers).toEqual([5, 6, 7, 8, 9, 10]);
  });

  it('limits the stroke rate per socket (429 rate_limited)', async () => {
    const piece = { stroke: 'r', versionId: plan().versionId, page: 1, kind: 'pen', color: 'red', points: [[1, 1]] };
    const answers = await Promise.all([...Array(80)].map(() => request(chair, 'markupStroke', piece)));
    expect(answers.filter((a) => !a.ok).every((a) => !a.ok && a.error.code === 'rate_limited')).toBe(true);
    expect(answers.filter((a) => !a.ok).length).toBeGreaterThan(0);
  });

  it('gives a late joiner the markups, deleted ones marked, and the scales; the service reads them by number', async () => {
    const late = await joined('urbanism@ain-draham.tn');
    expect(late.markups.agendaItemId).toBe(items[0]);
    // 1 deleted by the chair, 2 undone by its author.
    expect(late.markups.markups.map((m) => [m.number, m.deletedAt === null])).toEqual([...Array(10)].map((_, i) => [i + 1, i + 1 > 2]));
    expect(late.markups.scales).toEqual([expect.objectContaining({ documentSha256: plan().sha256, page: 1, source: 'calibration', ratio: 100 })]);
    expect(late.markups.drawers).toEqual([ids[ARCHITECT]]);
    expect((await markupsByNumbers(items[0]!, [3, 4, 42])).map((m) => m.number)).toEqual([3, 4]);
  });

  it('keeps them across a restart of the server: the markups, scales and numbering continue', async () => {
    for (const s of sockets.splice(0)) s.disconnect();
    await t.close({ keep: true });
    t = await startTestServer(undefined, { store: t.store });
    const back = await joined(CHAIR);
    expect(back.markups.markups.map((m) => m.number)).toEqual([...Array(10)].map((_, i) => i + 1));
    expect(back.markups.scales).toHaveLength(1);
    // Grants are the meeting's, in memory: the chair gives them again.
    expect(back.markups.drawers).toEqual([]);
    expect(await create(back.socket)).toMatchObject({ ok: true, data: { number: 11 } });
  }, 60_000);

  it('reads the scale a file declares (/VP /Measure) when it is first presented, and measures with it', async () => {
    const chair = sockets[0]!;
    const declared = dossiers[1]!.documents[4]!;
    await meetingData(chair, 'openItem', { agendaItemId: items[1] });
    const told = next(chair, 'pageScale');
    await meetingData(chair, 'present', { view: view(declared.versionId) });
    const scale = await told;
    expect(scale).toMatchObject({ documentSha256: declared.sha256, page: 1, source: 'pdf', ratio: 100 });
    expect(scale.by).toBeUndefined();
    const d = await meetingData<Markup>(chair, 'markupCreate', { versionId: declared.versionId, page: 1, kind: 'distance', color: 'red', points: [KNOWN_DIMENSION.from, KNOWN_DIMENSION.to] });
    expect(d).toMatchObject({ number: 1, agendaItemId: items[1], measurement: { unit: 'm', value: expect.closeTo(10, 6) } });
    // A file without /VP (the first item's plan) was read too and declares none.
    expect((await joined(ENGINEER)).markups.scales).toEqual([scale]);
  }, 60_000);
});
