import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ballot, Membership, User } from '../../db/models';
import type { DossierView } from '../../protocol/dossiers';
import type { OpenVoteView } from '../../protocol/voting';
import { agendaOfDossiers, type ExaminedDossier } from '../support/agenda';
import { ApiClient } from '../support/http';
import { createRemoteSession } from '../support/meeting';
import { joinedSocket, joinMeeting, meetingData, meetingRequest as request, openSession, type MeetingClient } from '../support/meetingSocket';
import { startTestServer, type TestServer } from '../support/server';

/**
 * A committee member who is a party to a dossier (its applicant: an architect applying for
 * their own house) does not judge it: refused a ballot, they must recuse. And the committee
 * judges the dossier, not its author: the timeline it reads does not name the applicant.
 */
let t: TestServer;
let sessionId: number;
let own: ExaminedDossier;
let architectId: number;
const sockets: MeetingClient[] = [];
const ARCHITECT = 'architect@ain-draham.tn';

const joined = async (email: string) => (await joinedSocket(t.url, email, sessionId, sockets)).socket;

beforeAll(async () => {
  t = await startTestServer();
  sessionId = await createRemoteSession();
  architectId = (await User.findOne({ where: { email: ARCHITECT } }))!.id;
  // The architect is also an applicant of the municipality (a role a person may hold beside their seat).
  await Membership.create({ userId: architectId, municipalityId: 1, role: 'applicant' });
  [own] = await agendaOfDossiers(t.url, sessionId, [{}], ARCHITECT);
}, 120_000);
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await t?.close();
});

describe('a member who is the applicant of a dossier', () => {
  it('is refused a ballot on it with must_recuse; the others vote', async () => {
    const chair = await joined('chair@ain-draham.tn');
    await openSession(chair);
    const architect = await joined(ARCHITECT);
    const others = await Promise.all(['engineer@ain-draham.tn', 'urbanism@ain-draham.tn', 'steg@ain-draham.tn'].map(joined));
    const snapshot = await joinMeeting(chair, sessionId);
    const agendaItemId = snapshot.features.presentation.agenda.find((i) => i.dossierId === own.dossierId)!.id;
    const vote = await meetingData<OpenVoteView>(chair, 'openVote', { agendaItemId, question: 'Avis sur le dossier ?' });
    expect(await request(architect, 'castBallot', { voteId: vote.id, choice: 'favourable' })).toMatchObject({ ok: false, error: { code: 'must_recuse' } });
    expect(await Ballot.count({ where: { voteId: vote.id } })).toBe(0);
    for (const s of others) expect(await request(s, 'castBallot', { voteId: vote.id, choice: 'favourable' })).toMatchObject({ ok: true });
    expect(await Ballot.count({ where: { voteId: vote.id, userId: architectId } })).toBe(0);
  });
});

describe('the timeline the committee reads', () => {
  it('does not name the applicant in their own steps; the office and the applicant still see who did what', async () => {
    const by = async (email: string) => {
      const view = (await (await ApiClient.loggedIn(t.url, email)).get(`/api/dossiers/${own.dossierId}`)).body as DossierView;
      return view.timeline.map((e) => [e.action, e.by?.id ?? null]);
    };
    const secretaryId = (await User.findOne({ where: { email: 'secretary@ain-draham.tn' } }))!.id;
    const committee = await by('engineer@ain-draham.tn');
    expect(committee.filter(([action]) => action === 'create' || action === 'submit')).toEqual([['create', null], ['submit', null]]);
    expect(committee.find(([action]) => action === 'mark_complete')).toEqual(['mark_complete', secretaryId]);
    const office = await by('secretary@ain-draham.tn');
    expect(office.filter(([action]) => action === 'create' || action === 'submit')).toEqual([['create', architectId], ['submit', architectId]]);
    expect((await by(ARCHITECT)).find(([action]) => action === 'create')).toEqual(['create', architectId]);
  });
});
