import { Op } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedPlanPdf } from '../support/fixtures/planPdf';
import { AgendaItem, DocumentVersion, DossierDocument, SessionPresentation, ShownDocument, User } from '../../db/models';
import type { PresentationSnapshot, PresentationState, PresentedView } from '../../protocol/presentation';
import { agendaOfDossiers, type ExaminedDossier } from '../support/agenda';
import { createRemoteSession } from '../support/meeting';
import { joinedSocket, openSession, meetingRequest as request, nextEvent as next, type MeetingClient } from '../support/meetingSocket';
import { startTestServer, type TestServer } from '../support/server';

let t: TestServer;
let sessionId: number;
let dossiers: ExaminedDossier[];
/** Agenda item ids, in agenda order. */
let items: number[];
const ids: Record<string, number> = {};
const sockets: MeetingClient[] = [];

const CHAIR = 'chair@ain-draham.tn';
const ARCHITECT = 'architect@ain-draham.tn';
const ENGINEER = 'engineer@ain-draham.tn';
const STEG = 'steg@ain-draham.tn';

async function joined(email: string): Promise<{ socket: MeetingClient; presentation: PresentationSnapshot }> {
  const { socket, snapshot } = await joinedSocket(t.url, email, sessionId, sockets);
  return { socket, presentation: snapshot.features.presentation };
}

const ok = { ok: true, data: null };
const refused = (code: string) => ({ ok: false, error: { code } });
const view = (versionId: number, page: number, extra: Partial<PresentedView> = {}): PresentedView => ({
  versionId, page, zoom: { mode: 'fit-width' }, rotation: 0, scroll: { x: 0.5, y: 0 }, ...extra,
});
const persisted = async () => {
  const r = await SessionPresentation.findByPk(sessionId);
  return r && { currentItemId: r.currentItemId, presenterId: r.presenterId, view: r.view };
};

beforeAll(async () => {
  t = await startTestServer();
  sessionId = await createRemoteSession();
  // Item 1: its 2nd document is a 9-sheet plan; item 2: its 5th document is a 5-sheet plan.
  const nine = cachedPlanPdf({ pages: 9, paths: 40, segments: 20, seed: 3, width: 842, height: 1191 });
  const five = cachedPlanPdf({ pages: 5, paths: 40, segments: 20, seed: 4, width: 842, height: 1191 });
  dossiers = await agendaOfDossiers(t.url, sessionId, [{ property_certificate: nine }, { architect_plans: five }]);
  items = (await AgendaItem.findAll({ where: { sessionId }, order: [['position', 'ASC']] })).map((a) => a.id);
  for (const email of [CHAIR, ARCHITECT, ENGINEER, STEG]) ids[email] = (await User.findOne({ where: { email } }))!.id;
}, 120_000);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await t?.close();
});

describe('the presentation in a live meeting', () => {
  let chair: MeetingClient, architect: MeetingClient;
  const planA = () => dossiers[0]!.documents[1]!; // 9 pages
  const planB = () => dossiers[1]!.documents[4]!; // 5 pages

  it('gives the agenda (no personal data), no item, the chair as presenter and no view on first join', async () => {
    const c = await joined(CHAIR);
    chair = c.socket;
    await openSession(chair);
    expect(c.presentation).toMatchObject({ currentItemId: null, presenterId: ids[CHAIR], view: null });
    expect(c.presentation.agenda.map((i) => i.id)).toEqual(items);
    const first = c.presentation.agenda[0]!;
    expect(first).toMatchObject({ position: 1, dossierId: dossiers[0]!.dossierId, reference: dossiers[0]!.reference, dossierStatus: 'scheduled', type: { code: 'new_building' } });
    expect(first.documents.map((d) => d.versionId)).toEqual(dossiers[0]!.documents.map((d) => d.versionId));
    expect(first.documents[1]).toMatchObject({
      itemCode: 'property_certificate', labelFr: 'Certificat de propriété de moins de 3 mois', labelAr: 'شهادة ملكية لا يتجاوز تاريخها 3 أشهر',
      pageCount: 9, sha256: planA().sha256, version: 1,
    });
    const applicant = (await User.findOne({ where: { email: 'amina@example.tn' } }))!;
    const text = JSON.stringify(c.presentation);
    for (const personal of [applicant.email, applicant.nameFr, applicant.nameAr, 'TF 4242']) expect(text).not.toContain(personal);
    expect(await persisted()).toBeNull();
  });

  it('answers malformed payloads of each event with invalid_payload and changes nothing', async () => {
    const bad: Record<string, unknown[]> = {
      openItem: [undefined, {}, { agendaItemId: 'one' }, { agendaItemId: 0 }, { agendaItemId: 1.5 }, { agendaItemId: items[0], extra: true }],
      setPresenter: [undefined, {}, { userId: -3 }, { userId: '7' }, { userId: ids[ARCHITECT], why: 'x' }],
      present: [
        undefined, {}, { view: null }, { view: { ...view(planA().versionId, 1), page: 0 } }, { view: { ...view(planA().versionId, 1), rotation: 45 } },
        { view: { ...view(planA().versionId, 1), zoom: { mode: 'scale', scale: 80 } } }, { view: { ...view(planA().versionId, 1), zoom: { mode: 'zoomed' } } },
        { view: { ...view(planA().versionId, 1), scroll: { x: 2, y: 0 } } }, { view: { ...view(planA().versionId, 1), scroll: { x: 10, y: 20, unit: 'px' } } },
        { view: view(planA().versionId, 1), extra: 1 }, { view: { ...view(planA().versionId, 1), versionId: 'v2' } },
      ],
      pointer: [undefined, {}, { at: 'here' }, { at: { x: 1.5, y: 0.2 } }, { at: { x: 0.2 } }, { at: null, who: 1 }],
    };
    const seen: unknown[] = [];
    chair.on('presentation', (p) => seen.push(p));
    for (const [event, payloads] of Object.entries(bad)) {
      for (const payload of payloads) expect(await request(chair, event, payload), `${event} ${JSON.stringify(payload)}`).toMatchObject(refused('invalid_payload'));
    }
    chair.off('presentation');
    expect(seen).toEqual([]);
    expect(await persisted()).toBeNull();
    expect(await ShownDocument.count()).toBe(0);
  });

  it('lets only the chair open an item of this session; present needs an open item', async () => {
    const a = await joined(ARCHITECT);
    architect = a.socket;
    expect(await request(chair, 'present', { view: view(planA().versionId, 1) })).toMatchObject(refused('conflict'));
    expect(await request(architect, 'openItem', { agendaItemId: items[0] })).toMatchObject(refused('forbidden'));
    const otherSession = await createRemoteSession();
    const foreign = await AgendaItem.create({ sessionId: otherSession, dossierId: dossiers[0]!.dossierId, position: 1 });
    expect(await request(chair, 'openItem', { agendaItemId: foreign.id })).toMatchObject(refused('not_found'));
    expect(await request(chair, 'openItem', { agendaItemId: 999_999 })).toMatchObject(refused('not_found'));
    expect(await persisted()).toBeNull();

    const announced = next(architect, 'presentation');
    expect(await request(chair, 'openItem', { agendaItemId: items[0] })).toEqual(ok);
    expect(await announced).toEqual({ currentItemId: items[0], presenterId: ids[CHAIR], view: null });
    expect(await persisted()).toEqual({ currentItemId: items[0], presenterId: ids[CHAIR], view: null });
  });

  it('checks the presented version belongs to the open item and the page exists, and records nothing otherwise', async () => {
    // A seeded demo dossier's document: real, readable by the office, but not this item's.
    const demo = await DocumentVersion.findOne({ include: [{ model: DossierDocument, where: { dossierId: { [Op.notIn]: dossiers.map((d) => d.dossierId) } } }] });
    for (const versionId of [planB().versionId, demo!.id, 999_999]) {
      expect(await request(chair, 'present', { view: view(versionId, 1) }), `version ${versionId}`).toMatchObject(refused('not_found'));
    }
    expect(await request(chair, 'present', { view: view(planA().versionId, 10) })).toMatchObject(refused('invalid_payload'));
    expect((await persisted())!.view).toBeNull();
    expect(await ShownDocument.count()).toBe(0);

    const announced = next(architect, 'presentation');
    const v = view(planA().versionId, 9, { zoom: { mode: 'scale', scale: 2 }, rotation: 90, scroll: { x: 0.25, y: 0.75 } });
    expect(await request(chair, 'present', { view: v })).toEqual(ok);
    expect(await announced).toEqual({ currentItemId: items[0], presenterId: ids[CHAIR], view: v });
    expect((await persisted())!.view).toEqual(v);
  });

  it('hands over only by the chair, to someone present; the new presenter presents and points, the old one no longer', async () => {
    // A member cannot take it, nor present or point while not presenting.
    expect(await request(architect, 'setPresenter', { userId: ids[ARCHITECT] })).toMatchObject(refused('forbidden'));
    expect(await request(architect, 'present', { view: view(planA().versionId, 2) })).toMatchObject(refused('forbidden'));
    expect(await request(architect, 'pointer', { at: { x: 0.5, y: 0.5 } })).toMatchObject(refused('forbidden'));
    // Absent (never joined) and reconnecting targets are refused.
    expect(await request(chair, 'setPresenter', { userId: ids[STEG] })).toMatchObject(refused('not_found'));
    const engineer = await joined(ENGINEER);
    engineer.socket.disconnect();
    await expect.poll(() => t.server.meeting.rooms.get(sessionId)!.participants.get(ids[ENGINEER]!)?.status).toBe('reconnecting');
    expect(await request(chair, 'setPresenter', { userId: ids[ENGINEER] })).toMatchObject(refused('conflict'));
    expect((await persisted())!.presenterId).toBe(ids[CHAIR]);

    const announced = next(architect, 'presentation');
    expect(await request(chair, 'setPresenter', { userId: ids[ARCHITECT] })).toEqual(ok);
    expect(await announced).toMatchObject({ presenterId: ids[ARCHITECT], currentItemId: items[0] });
    expect((await persisted())!.presenterId).toBe(ids[ARCHITECT]);

    expect(await request(chair, 'present', { view: view(planA().versionId, 3) })).toMatchObject(refused('forbidden'));
    expect(await request(chair, 'pointer', { at: { x: 0.1, y: 0.1 } })).toMatchObject(refused('forbidden'));
    const onChair = next(chair, 'presentation');
    expect(await request(architect, 'present', { view: view(planA().versionId, 2) })).toEqual(ok);
    expect((await onChair).view).toMatchObject({ page: 2 });

    // The pointer goes to the others with the presenter's id, and is not persisted.
    const pointed = next(chair, 'pointer');
    let echoed = false;
    architect.once('pointer', () => (echoed = true));
    expect(await request(architect, 'pointer', { at: { x: 0.3, y: 0.6 } })).toEqual(ok);
    expect(await pointed).toEqual({ userId: ids[ARCHITECT], at: { x: 0.3, y: 0.6 } });
    expect(await request(architect, 'pointer', { at: null })).toEqual(ok);
    expect(echoed).toBe(false);
    expect((await persisted())!.view).toEqual(view(planA().versionId, 2));
  });

  it('records each version shown for an item once, with its sha256 and who showed it first', async () => {
    for (let page = 1; page <= 9; page++) expect(await request(architect, 'present', { view: view(planA().versionId, page) })).toEqual(ok);
    const firstDoc = dossiers[0]!.documents[0]!;
    expect(await request(architect, 'present', { view: view(firstDoc.versionId, 1) })).toEqual(ok);
    expect(await request(architect, 'present', { view: view(planA().versionId, 7) })).toEqual(ok);
    const rows = await ShownDocument.findAll({ where: { agendaItemId: items[0] }, order: [['id', 'ASC']] });
    expect(rows.map((r) => ({ version: r.documentVersionId, sha256: r.sha256 }))).toEqual([
      // The chair showed the plan first (before the hand-over), then the architect the signed request.
      { version: planA().versionId, sha256: planA().sha256 },
      { version: firstDoc.versionId, sha256: firstDoc.sha256 },
    ]);
    expect(rows.map((r) => r.shownById)).toEqual([ids[CHAIR], ids[ARCHITECT]]);

    // The second item: opening it clears the view; its plan is recorded against it.
    const cleared = next(architect, 'presentation');
    expect(await request(chair, 'openItem', { agendaItemId: items[1] })).toEqual(ok);
    expect(await cleared).toEqual({ currentItemId: items[1], presenterId: ids[ARCHITECT], view: null });
    expect(await request(architect, 'present', { view: view(planA().versionId, 1) })).toMatchObject(refused('not_found'));
    expect(await request(architect, 'present', { view: view(planB().versionId, 5) })).toEqual(ok);
    expect(await request(architect, 'present', { view: view(planB().versionId, 6) })).toMatchObject(refused('invalid_payload'));
    expect(await ShownDocument.count({ where: { agendaItemId: items[1] } })).toBe(1);
    expect(await ShownDocument.count()).toBe(3);
    expect((await persisted())!.view).toEqual(view(planB().versionId, 5));
  });

  it('opens a late joiner and a reconnecting presenter at the presenter\'s place', async () => {
    const current = { currentItemId: items[1], presenterId: ids[ARCHITECT], view: view(planB().versionId, 5) };
    const late = await joined(STEG);
    expect(late.presentation).toMatchObject(current);
    expect(late.presentation.agenda).toHaveLength(2);

    // The architect's connection drops; a new socket of the same user joins within the grace period.
    architect.disconnect();
    await expect.poll(() => t.server.meeting.rooms.get(sessionId)!.participants.get(ids[ARCHITECT]!)?.status).toBe('reconnecting');
    const back = await joined(ARCHITECT);
    architect = back.socket;
    expect(back.presentation).toMatchObject(current);
    expect(await request(architect, 'present', { view: view(planB().versionId, 3) })).toEqual(ok);
    await request(late.socket, 'leave', {});
  });

  it('gives the presentation back to the chair when the presenter leaves for good', async () => {
    const handedBack = next(chair, 'presentation');
    expect(await request(architect, 'leave', {})).toEqual(ok);
    expect(await handedBack).toEqual({ currentItemId: items[1], presenterId: ids[CHAIR], view: view(planB().versionId, 3) });
    expect((await persisted())!.presenterId).toBe(ids[CHAIR]);
    expect(await request(chair, 'present', { view: view(planB().versionId, 4, { zoom: { mode: 'fit-page' } }) })).toEqual(ok);
  });

  it('broadcasts a fresh agenda when an item\'s records change', async () => {
    const agenda = next(chair, 'agenda');
    t.server.meeting.rooms.get(sessionId)!.emit('recordschanged', items[0]!);
    const list = await agenda;
    expect(list.map((i) => i.id)).toEqual(items);
    expect(list[0]!.dossierStatus).toBe('scheduled');
  });

  it('reopens at the presenter\'s place after a server restart on the same data', async () => {
    const before: PresentationState = { currentItemId: items[1]!, presenterId: ids[CHAIR]!, view: view(planB().versionId, 4, { zoom: { mode: 'fit-page' } }) };
    for (const s of sockets) s.disconnect();
    sockets.length = 0;
    await t.close({ keep: true });
    t = await startTestServer(undefined, { store: t.store });
    const again = await joined(ARCHITECT);
    expect(again.presentation).toMatchObject(before);
    expect(again.presentation.agenda.map((i) => i.id)).toEqual(items);
    // The state's rules hold after the restart too: the architect is no longer the presenter.
    expect(await request(again.socket, 'present', { view: view(planB().versionId, 1) })).toMatchObject(refused('forbidden'));
  }, 60_000);
});
