import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AgendaItem, AuditEntryRow, Ballot, CommitteeOpinion, CommitteeSession, Dossier, DossierEvent, OutboxMessage, PermitDecision, Recusal, User, Vote,
} from '../../db/models';
import type { MeetingSnapshot } from '../../protocol/meeting';
import type { ClosedVoteView, OpenVoteView, RecusalView, VotingSnapshot } from '../../protocol/voting';
import { verifyAuditLog, auditEntries } from '../../server/services/audit';
import { agendaOfDossiers, type ExaminedDossier } from '../support/agenda';
import { ApiClient } from '../support/http';
import { createRemoteSession } from '../support/meeting';
import { joinMeeting, meetingRequest as request, openedByChair, openSession, meetingSocket, nextEvent, type MeetingClient } from '../support/meetingSocket';
import { startTestServer, type TestServer } from '../support/server';
import { addVotingMembers } from '../support/voting';

let t: TestServer;
let sessionId: number;
let dossiers: ExaminedDossier[];
/** The agenda items, in agenda order: A (the full vote), B (deferred), C (across a restart), D (quorum lost). */
let A: number, B: number, C: number, D: number;
/** An item of another session of the same committee. */
let foreignItem: number;
let tbkSessionId: number;
const ids: Record<string, number> = {};
const sockets: MeetingClient[] = [];

const CHAIR = 'chair@ain-draham.tn';
const SECRETARY = 'secretary@ain-draham.tn';
const ENGINEER = 'engineer@ain-draham.tn';
const SONEDE = 'sonede@ain-draham.tn';
const DEMO_VOTERS = ['architect@ain-draham.tn', ENGINEER, 'urbanism@ain-draham.tn', 'steg@ain-draham.tn', 'protection@ain-draham.tn'];
let extraVoters: string[];
/** Every voting member: the chair, the demo's five and the added ones. */
let voters: string[];

const id = (email: string) => ids[email]!;

async function socketOf(email?: string): Promise<MeetingClient> {
  const socket = await meetingSocket(t.url, email);
  sockets.push(socket);
  return socket;
}

async function joined(email: string, session = sessionId): Promise<MeetingClient> {
  const socket = await socketOf(email);
  await joinMeeting(socket, session);
  return socket;
}

const refused = (code: string) => ({ ok: false, error: { code } });
const votingOf = (snapshot: MeetingSnapshot): VotingSnapshot => snapshot.features.voting;
const room = () => t.server.meeting.rooms.get(sessionId)!;
const leaveAll = async (list: MeetingClient[]) => {
  for (const s of list) if (s.connected) await request(s, 'leave', {});
};
/** Counts of every record a refused request must leave alone. */
const records = async () => ({
  votes: await Vote.count(), ballots: await Ballot.count(), recusals: await Recusal.count(), opinions: await CommitteeOpinion.count(),
  audit: await AuditEntryRow.count(), decisions: await PermitDecision.count(), events: await DossierEvent.count(), outbox: await OutboxMessage.count(),
});

beforeAll(async () => {
  t = await startTestServer();
  // Ten more voting seats: with the engineer recused on item A, fifteen members can still vote on it.
  extraVoters = await addVotingMembers(10);
  voters = [CHAIR, ...DEMO_VOTERS, ...extraVoters];
  sessionId = await createRemoteSession();
  dossiers = await agendaOfDossiers(t.url, sessionId, [{}, {}, {}, {}]);
  [A, B, C, D] = (await AgendaItem.findAll({ where: { sessionId }, order: [['position', 'ASC']] })).map((a) => a.id) as [number, number, number, number];
  const other = await createRemoteSession();
  foreignItem = (await AgendaItem.create({ sessionId: other, dossierId: dossiers[0]!.dossierId, position: 1 })).id;
  tbkSessionId = await createRemoteSession('TBK');
  for (const u of await User.findAll()) ids[u.email] = u.id;
}, 180_000);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await t?.close();
});

describe('who may take part in a vote', () => {
  it('refuses the applicant and a member of another committee at join, and every vote event before join', async () => {
    const applicant = await socketOf('amina@example.tn');
    expect(await request(applicant, 'join', { sessionId, mode: 'audio' })).toMatchObject(refused('forbidden'));
    expect(await request(applicant, 'castBallot', { voteId: 1, choice: 'favourable' })).toMatchObject(refused('conflict'));
    expect(await request(applicant, 'recuse', { agendaItemId: A, reason: 'x' })).toMatchObject(refused('conflict'));
    const tabarka = await socketOf('member@tabarka.tn');
    expect(await request(tabarka, 'join', { sessionId, mode: 'audio' })).toMatchObject(refused('forbidden'));
    expect(await Recusal.count()).toBe(0);
  });
});

describe('a vote in a live meeting', () => {
  let chair: MeetingClient, secretary: MeetingClient, sonede: MeetingClient, engineer: MeetingClient;
  /** Voting members' sockets by email (the chair's included). */
  const member = new Map<string, MeetingClient>();
  let voteA: number;

  it('refuses to open a vote without quorum (8 of 16 voting members)', async () => {
    chair = await joined(CHAIR);
    await openSession(chair);
    member.set(CHAIR, chair);
    for (const email of DEMO_VOTERS) member.set(email, await joined(email));
    secretary = await joined(SECRETARY);
    sonede = await joined(SONEDE);
    engineer = member.get(ENGINEER)!;
    // Six voting members present (a second socket of the chair counts once), plus the secretary and a consultative member.
    await joined(CHAIR);
    expect(room().presentUserIds).toHaveLength(8);
    const before = await records();
    const res = await request(chair, 'openVote', { agendaItemId: A, question: 'Avis sur le dossier ?' });
    expect(res).toMatchObject({ ok: false, error: { code: 'quorum_not_met', details: { required: 8, present: 6, votingMembers: 16, met: false } } });
    expect(await records()).toEqual(before);
  });

  it('records a recusal with its reason, broadcast to the room; a second declaration changes nothing', async () => {
    const seen = nextEvent(chair, 'recusal');
    const res = await request<RecusalView>(engineer, 'recuse', { agendaItemId: A, reason: 'Parent du demandeur' });
    expect(res).toMatchObject({ ok: true, data: { agendaItemId: A, userId: id(ENGINEER), reason: 'Parent du demandeur' } });
    expect(await seen).toEqual(res.ok && res.data);
    expect(await request(engineer, 'recuse', { agendaItemId: A, reason: 'autre' })).toMatchObject({ ok: true, data: { reason: 'Parent du demandeur' } });
    expect(await Recusal.count()).toBe(1);
    expect(await request(engineer, 'recuse', { agendaItemId: foreignItem, reason: 'x' })).toMatchObject(refused('not_found'));
  });

  it('shows the documents of item A (recorded for its opinion), then the chair opens the vote with quorum; members cannot', async () => {
    for (const email of extraVoters) member.set(email, await joined(email));
    expect(await request(chair, 'openItem', { agendaItemId: A })).toEqual({ ok: true, data: null });
    for (const d of dossiers[0]!.documents.slice(0, 2)) {
      const view = { versionId: d.versionId, page: 1, zoom: { mode: 'fit-width' }, rotation: 0, scroll: { x: 0.5, y: 0 } };
      expect(await request(chair, 'present', { view })).toEqual({ ok: true, data: null });
    }
    const before = await records();
    expect(await request(member.get('architect@ain-draham.tn')!, 'openVote', { agendaItemId: A, question: 'x' })).toMatchObject(refused('forbidden'));
    expect(await request(chair, 'openVote', { agendaItemId: foreignItem, question: 'x' })).toMatchObject(refused('not_found'));
    expect(await request(chair, 'openVote', { agendaItemId: 999_999, question: 'x' })).toMatchObject(refused('not_found'));
    expect(await records()).toEqual(before);

    const seen = Promise.all([secretary, sonede, engineer].map((s) => nextEvent(s, 'voteOpened')));
    const res = await request<OpenVoteView>(chair, 'openVote', { agendaItemId: A, question: 'Avis sur la construction ?', conditions: 'Façade en pierre locale' });
    if (!res.ok) throw new Error(JSON.stringify(res.error));
    voteA = res.data.id;
    expect(res.data).toMatchObject({
      agendaItemId: A, question: 'Avis sur la construction ?', conditions: 'Façade en pierre locale', voted: [], tally: null,
      quorumAtOpen: { required: 8, present: 15, votingMembers: 16, met: true },
    });
    for (const v of await seen) expect(v).toEqual(res.data);
    expect(await request(chair, 'openVote', { agendaItemId: A, question: 'encore' })).toMatchObject(refused('conflict'));
    expect(await request(engineer, 'recuse', { agendaItemId: A, reason: 'trop tard' })).toMatchObject(refused('conflict'));
  });

  it('refuses ballots from the consultative member, the secretary, the recused member, a member who left, and a member of another committee', async () => {
    await openedByChair(t.url, tbkSessionId, 'chair@tabarka.tn');
    const before = await records();
    expect(await request(sonede, 'castBallot', { voteId: voteA, choice: 'favourable' })).toMatchObject(refused('forbidden'));
    expect(await request(secretary, 'castBallot', { voteId: voteA, choice: 'favourable' })).toMatchObject(refused('forbidden'));
    expect(await request(engineer, 'castBallot', { voteId: voteA, choice: 'favourable' })).toMatchObject(refused('recused'));
    // A member who left is absent: their socket is no longer in the meeting.
    const gone = await joined('steg@ain-draham.tn');
    await request(gone, 'leave', {});
    expect(await request(gone, 'castBallot', { voteId: voteA, choice: 'favourable' })).toMatchObject(refused('conflict'));
    // Tabarka's member, in their own session's meeting (opened by their chair), aims at this vote.
    const tabarka = await joined('member@tabarka.tn', tbkSessionId);
    expect(await request(tabarka, 'castBallot', { voteId: voteA, choice: 'unfavourable' })).toMatchObject(refused('not_found'));
    expect(await request(tabarka, 'closeVote', { voteId: voteA })).toMatchObject(refused('forbidden'));
    expect(await request(chair, 'castBallot', { voteId: 999_999, choice: 'favourable' })).toMatchObject(refused('not_found'));
    await request(tabarka, 'leave', {});
    expect(await records()).toEqual(before);
  });

  it('15 members casting at the same moment, each twice, give exactly 15 ballots; everyone sees who voted, not the tally', async () => {
    const eligible = voters.filter((e) => e !== ENGINEER);
    expect(eligible).toHaveLength(15);
    const progress: { voted: number[]; tally: unknown }[] = [];
    sonede.on('voteProgress', (p) => progress.push(p));
    const choice = (e: string) => (e === 'protection@ain-draham.tn' ? 'unfavourable' : 'favourable_with_conditions');
    const acks = await Promise.all(eligible.flatMap((e) => [0, 1].map(() => request<{ effect: string }>(member.get(e)!, 'castBallot', { voteId: voteA, choice: choice(e) }))));
    expect(acks.every((a) => a.ok)).toBe(true);
    const effects = acks.map((a) => (a.ok ? a.data.effect : ''));
    expect(effects.filter((e) => e === 'record')).toHaveLength(15);
    expect(effects.filter((e) => e === 'unchanged')).toHaveLength(15);
    expect(await Ballot.count({ where: { voteId: voteA } })).toBe(15);
    await expect.poll(() => progress.length).toBe(15);
    expect(progress.map((p) => p.voted.length)).toEqual([...Array(15).keys()].map((i) => i + 1));
    expect(new Set(progress.at(-1)!.voted)).toEqual(new Set(eligible.map(id)));
    expect(progress.every((p) => p.tally === null)).toBe(true);
    sonede.off('voteProgress');
  });

  it('lets a member change their ballot until close; a retry of the same ballot is idempotent', async () => {
    const architect = member.get('architect@ain-draham.tn')!;
    expect(await request(architect, 'castBallot', { voteId: voteA, choice: 'favourable' })).toEqual({ ok: true, data: { voteId: voteA, choice: 'favourable', effect: 'replace' } });
    expect(await request(architect, 'castBallot', { voteId: voteA, choice: 'favourable' })).toEqual({ ok: true, data: { voteId: voteA, choice: 'favourable', effect: 'unchanged' } });
    expect((await Ballot.findOne({ where: { voteId: voteA, userId: id('architect@ain-draham.tn') } }))!.choice).toBe('favourable');
    expect(await Ballot.count({ where: { voteId: voteA } })).toBe(15);
  });

  it('a member who rejoins gets the open vote with who voted and their own ballot, and is counted once', async () => {
    const present = room().presentUserIds.length;
    const again = await socketOf('architect@ain-draham.tn');
    const voting = votingOf(await joinMeeting(again, sessionId));
    expect(room().presentUserIds).toHaveLength(present);
    expect(voting.open).toHaveLength(1);
    expect(voting.open[0]).toMatchObject({ id: voteA, agendaItemId: A, tally: null });
    expect(voting.open[0]!.voted).toHaveLength(15);
    expect(voting.myBallots).toEqual({ [voteA]: 'favourable' });
    expect(voting.ballotChange).toBe(true); // the demo committee's rules allow a change until close
    expect(voting.recusals).toMatchObject([{ agendaItemId: A, userId: id(ENGINEER), reason: 'Parent du demandeur' }]);
    await request(again, 'leave', {});
  });

  it('the chair closes: the same outcome reaches everyone, and the opinion, status, timeline, email and audit are written together', async () => {
    const before = await records();
    const everyone = [...new Set([...member.values(), secretary, sonede])];
    const seen = Promise.all(everyone.map((s) => nextEvent(s, 'voteClosed')));
    expect(await request(member.get('urbanism@ain-draham.tn')!, 'closeVote', { voteId: voteA })).toMatchObject(refused('forbidden'));
    const res = await request<ClosedVoteView>(chair, 'closeVote', { voteId: voteA, reasons: 'Conforme au plan d\'aménagement' });
    if (!res.ok) throw new Error(JSON.stringify(res.error));
    const closed = res.data;
    for (const v of await seen) expect(v).toEqual(closed);
    expect(closed).toMatchObject({
      id: voteA, agendaItemId: A, reasons: 'Conforme au plan d\'aménagement', conditions: 'Façade en pierre locale',
      tally: { favourable: 1, favourable_with_conditions: 13, unfavourable: 1, deferred: 0, abstain: 0, cast: 15 },
      quorumAtClose: { required: 8, present: 15, met: true },
      outcome: { valid: true, opinion: 'favourable_with_conditions', decidedBy: 'majority', base: 15 },
    });
    expect(closed.ballots).toHaveLength(15);
    expect(closed.ballots).toContainEqual({ userId: id('protection@ain-draham.tn'), choice: 'unfavourable' });
    expect(closed.ballots).toContainEqual({ userId: id('architect@ain-draham.tn'), choice: 'favourable' });

    const dossier = dossiers[0]!;
    const shown = dossier.documents.slice(0, 2);
    const opinion = (await CommitteeOpinion.findOne({ where: { voteId: voteA } }))!;
    expect(opinion.toJSON()).toMatchObject({
      dossierId: dossier.dossierId, agendaItemId: A, opinion: 'favourable_with_conditions', conditions: 'Façade en pierre locale', reasons: 'Conforme au plan d\'aménagement',
    });
    expect(opinion.documents).toEqual(shown.map((d) => expect.objectContaining({ documentVersionId: d.versionId, itemCode: d.itemCode, version: 1, sha256: d.sha256 })));
    expect((await Dossier.findByPk(dossier.dossierId))!.status).toBe('favourable_with_conditions');
    const event = (await DossierEvent.findOne({ where: { dossierId: dossier.dossierId }, order: [['id', 'DESC']] }))!;
    expect(event).toMatchObject({ action: 'record_opinion', fromStatus: 'scheduled', toStatus: 'favourable_with_conditions', actorId: id(CHAIR) });
    expect(event.note).toContain('Façade en pierre locale');
    expect(event.note).toContain('Conforme au plan d\'aménagement');
    const mail = (await OutboxMessage.findOne({ order: [['id', 'DESC']] }))!;
    expect(mail.toAddress).toBe('amina@example.tn');
    expect(mail.subject).toContain(dossier.reference);
    expect(mail.text).toContain('Façade en pierre locale');
    const entry = (await auditEntries()).at(-1)!;
    expect(entry).toMatchObject({
      action: 'vote.closed', subject: `vote:${voteA}`, actorId: id(CHAIR),
      payload: {
        outcome: { opinion: 'favourable_with_conditions' }, opinion: { id: opinion.id, opinion: 'favourable_with_conditions' }, reasons: 'Conforme au plan d\'aménagement',
        documents: shown.map((d) => ({ documentVersionId: d.versionId, sha256: d.sha256 })), recused: [id(ENGINEER)],
      },
    });
    expect(await verifyAuditLog()).toMatchObject({ ok: true });
    expect(await records()).toEqual({ ...before, opinions: before.opinions + 1, audit: before.audit + 1, events: before.events + 1, outbox: before.outbox + 1 });
  });

  it('refuses a cast after close with vote_closed and a new vote on an item that has its opinion; a retried close answers the closed vote', async () => {
    const before = await records();
    expect(await request(member.get('steg@ain-draham.tn')!, 'castBallot', { voteId: voteA, choice: 'unfavourable' })).toMatchObject(refused('vote_closed'));
    // The chair's close retried after its answer was lost: the closed vote, nothing written again.
    expect(await request(chair, 'closeVote', { voteId: voteA })).toMatchObject({ ok: true, data: { id: voteA, outcome: { opinion: 'favourable_with_conditions' } } });
    expect(await request(chair, 'openVote', { agendaItemId: A, question: 'encore' })).toMatchObject(refused('invalid_transition'));
    expect(await records()).toEqual(before);
  });

  it('a member joining late gets the closed vote with its named ballots', async () => {
    const late = await socketOf(SECRETARY);
    const voting = votingOf(await joinMeeting(late, sessionId));
    expect(voting.open).toEqual([]);
    expect(voting.closed).toHaveLength(1);
    expect(voting.closed[0]).toMatchObject({ id: voteA, outcome: { opinion: 'favourable_with_conditions' } });
    expect(voting.closed[0]!.ballots).toHaveLength(15);
    await request(late, 'leave', {});
  });

  it('item B: a majority for deferral defers the dossier', async () => {
    const res = await request<OpenVoteView>(chair, 'openVote', { agendaItemId: B, question: 'Avis ?' });
    if (!res.ok) throw new Error(JSON.stringify(res.error));
    await Promise.all(voters.slice(0, 9).map((e) => request(member.get(e)!, 'castBallot', { voteId: res.data.id, choice: 'deferred' })));
    const closed = await request<ClosedVoteView>(chair, 'closeVote', { voteId: res.data.id, reasons: 'Pièces à compléter' });
    expect(closed).toMatchObject({ ok: true, data: { outcome: { valid: true, opinion: 'deferred', decidedBy: 'majority' } } });
    expect((await Dossier.findByPk(dossiers[1]!.dossierId))!.status).toBe('deferred');
  });

  it('item D: quorum lost between open and close closes without an opinion; the dossier stays scheduled', async () => {
    const res = await request<OpenVoteView>(chair, 'openVote', { agendaItemId: D, question: 'Avis ?' });
    if (!res.ok) throw new Error(JSON.stringify(res.error));
    await request(chair, 'castBallot', { voteId: res.data.id, choice: 'favourable' });
    // Nine voting members leave: seven remain of the eight required.
    const leaving = extraVoters.slice(0, 9);
    await leaveAll(leaving.map((e) => member.get(e)!));
    const closed = await request<ClosedVoteView>(chair, 'closeVote', { voteId: res.data.id, reasons: 'sans objet' });
    expect(closed).toMatchObject({ ok: true, data: { outcome: { valid: false, reason: 'quorum_lost' }, quorumAtClose: { required: 8, present: 7, met: false }, reasons: '' } });
    expect(await CommitteeOpinion.count({ where: { dossierId: dossiers[3]!.dossierId } })).toBe(0);
    expect((await Dossier.findByPk(dossiers[3]!.dossierId))!.status).toBe('scheduled');
    for (const e of leaving) member.set(e, await joined(e));
  });

  it('answers a malformed payload for each vote event with invalid_payload and changes nothing', async () => {
    const before = await records();
    const bad: Record<string, unknown[]> = {
      recuse: [undefined, 'x', {}, { agendaItemId: C }, { agendaItemId: C, reason: '   ' }, { agendaItemId: -1, reason: 'x' }, { agendaItemId: C, reason: 'x', extra: 1 }, { agendaItemId: C, reason: 'x'.repeat(1001) }],
      openVote: [undefined, {}, { agendaItemId: C }, { agendaItemId: C, question: '' }, { agendaItemId: 'C', question: 'x' }, { agendaItemId: C, question: 'x', conditions: 5 }, { agendaItemId: C, question: 'x', bogus: true }],
      castBallot: [undefined, {}, { voteId: voteA }, { voteId: voteA, choice: 'yes' }, { voteId: 1.5, choice: 'favourable' }, { voteId: voteA, choice: 'favourable', userId: 1 }],
      closeVote: [undefined, {}, { voteId: 0 }, { voteId: 'x' }, { voteId: voteA, reasons: 42 }, { voteId: voteA, outcome: 'favourable' }],
    };
    for (const [event, payloads] of Object.entries(bad)) {
      for (const payload of payloads) {
        expect(await request(chair, event, payload), `${event} ${JSON.stringify(payload)}`).toMatchObject(refused('invalid_payload'));
      }
    }
    expect(await records()).toEqual(before);
  });

  it('refuses to end the session or withdraw the dossier while a vote is open; a restarted server restores the vote with its ballots and closing it works', async () => {
    const open = await request<OpenVoteView>(chair, 'openVote', { agendaItemId: C, question: 'Avis sur la démolition ?' });
    if (!open.ok) throw new Error(JSON.stringify(open.error));
    const voteC = open.data.id;
    const castBy = [CHAIR, 'architect@ain-draham.tn', 'urbanism@ain-draham.tn'];
    for (const e of castBy) expect(await request(member.get(e)!, 'castBallot', { voteId: voteC, choice: 'unfavourable' })).toMatchObject({ ok: true });
    expect(await request(chair, 'endSession', {})).toMatchObject(refused('conflict'));
    expect((await CommitteeSession.findByPk(sessionId))!.status).toBe('live');
    // Nor may the applicant withdraw the dossier while the committee votes on it.
    const amina = await ApiClient.loggedIn(t.url, 'amina@example.tn');
    const before = await records();
    expect(await amina.post(`/api/dossiers/${dossiers[2]!.dossierId}/withdraw`)).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    expect((await Dossier.findByPk(dossiers[2]!.dossierId))!.status).toBe('scheduled');
    expect(await records()).toEqual(before);

    // The server process stops and starts again on the same files.
    for (const s of sockets) s.disconnect();
    sockets.length = 0;
    await t.close({ keep: true });
    t = await startTestServer(undefined, { store: t.store });

    const chairAgain = await socketOf(CHAIR);
    const voting = votingOf(await joinMeeting(chairAgain, sessionId));
    expect(voting.open).toHaveLength(1);
    expect(voting.open[0]).toMatchObject({ id: voteC, agendaItemId: C, question: 'Avis sur la démolition ?', voted: castBy.map(id) });
    expect(voting.myBallots).toEqual({ [voteC]: 'unfavourable' });
    expect(voting.closed.map((v) => v.id)).toEqual([voteA, voteA + 1, voteA + 2]);
    const back = [chairAgain];
    for (const e of voters.slice(1, 8)) back.push(await joined(e));
    expect(await request(back[4]!, 'castBallot', { voteId: voteC, choice: 'favourable' })).toMatchObject({ ok: true, data: { effect: 'record' } });
    expect(await Ballot.count({ where: { voteId: voteC } })).toBe(4);
    const closed = await request<ClosedVoteView>(chairAgain, 'closeVote', { voteId: voteC, reasons: 'Bâtiment classé' });
    expect(closed).toMatchObject({ ok: true, data: { outcome: { valid: true, opinion: 'unfavourable' }, tally: { unfavourable: 3, favourable: 1, cast: 4 } } });
    expect((await Dossier.findByPk(dossiers[2]!.dossierId))!.status).toBe('unfavourable');
    expect(await verifyAuditLog()).toMatchObject({ ok: true });

    // Ending the session gives back the dossier whose vote had no valid outcome (item D): it can be scheduled again.
    const ended = nextEvent(back[1]!, 'sessionEnded');
    expect(await request(chairAgain, 'endSession', {})).toEqual({ ok: true, data: null });
    expect(await ended).toEqual({ sessionId });
    const session = (await CommitteeSession.findByPk(sessionId))!;
    expect(session.status).toBe('closed');
    expect(session.closedAt).toBeInstanceOf(Date);
    expect((await Dossier.findByPk(dossiers[3]!.dossierId))!.status).toBe('complete');
    expect(await DossierEvent.findOne({ where: { dossierId: dossiers[3]!.dossierId }, order: [['id', 'DESC']] })).toMatchObject({
      action: 'unschedule', fromStatus: 'scheduled', toStatus: 'complete', actorId: id(CHAIR), note: '', details: { sessionId },
    });
    for (const voted of [0, 1, 2]) expect((await Dossier.findByPk(dossiers[voted]!.dossierId))!.status).not.toBe('complete');
    expect((await auditEntries()).at(-1)).toMatchObject({ action: 'session.closed', subject: `session:${sessionId}`, actorId: id(CHAIR), payload: { returnedDossiers: [dossiers[3]!.dossierId] } });
    expect(await verifyAuditLog()).toMatchObject({ ok: true });
    expect(await request(chairAgain, 'join', { sessionId, mode: 'audio' })).toMatchObject(refused('invalid_transition'));
    const secretary = await ApiClient.loggedIn(t.url, SECRETARY);
    const later = await createRemoteSession();
    expect((await secretary.put(`/api/sessions/${later}/agenda`, { dossierIds: [dossiers[3]!.dossierId] })).status).toBe(200);
    expect((await Dossier.findByPk(dossiers[3]!.dossierId))!.status).toBe('scheduled');
  });
});

describe('the municipality\'s decision on the opinion', () => {
  const body = { outcome: 'granted', arreteNumber: 'ADR/2026/117', signedOn: '2026-03-02', notes: 'Sous réserve des conditions de la commission' };
  const decide = async (email: string | null, dossierId: number, payload: unknown = body) =>
    (email ? await ApiClient.loggedIn(t.url, email) : new ApiClient(t.url)).post(`/api/dossiers/${dossierId}/decision`, payload);

  it('refuses every bad input and changes nothing', async () => {
    const before = await records();
    const [a, b, , d] = dossiers.map((x) => x.dossierId) as [number, number, number, number];
    const cases: [string | null, number, unknown, number, string][] = [
      [null, a, body, 401, 'unauthenticated'],
      ['amina@example.tn', a, body, 403, 'forbidden'],
      ['youssef@example.tn', a, body, 404, 'not_found'],
      ['architect@ain-draham.tn', a, body, 403, 'forbidden'],
      ['secretary@tabarka.tn', a, body, 404, 'not_found'],
      [SECRETARY, 999_999, body, 404, 'not_found'],
      [SECRETARY, a, { ...body, outcome: 'maybe' }, 400, 'invalid_payload'],
      [SECRETARY, a, { ...body, arreteNumber: '' }, 400, 'invalid_payload'],
      [SECRETARY, a, { ...body, signedOn: '02/03/2026' }, 400, 'invalid_payload'],
      [SECRETARY, a, { ...body, extra: true }, 400, 'invalid_payload'],
      [SECRETARY, a, ['granted'], 400, 'invalid_payload'],
      [SECRETARY, a, 'granted', 400, 'malformed_json'],
      [SECRETARY, b, body, 409, 'invalid_transition'],
      [SECRETARY, d, body, 409, 'invalid_transition'],
    ];
    for (const [email, dossierId, payload, status, code] of cases) {
      const res = await decide(email, dossierId, payload);
      expect({ status: res.status, code: res.body.error?.code }, `${email} ${dossierId} ${JSON.stringify(payload)}`).toEqual({ status, code });
    }
    expect(await records()).toEqual(before);
  });

  it('records the decision apart from the opinion, with timeline, email and audit entry; a second one is refused', async () => {
    const dossierId = dossiers[0]!.dossierId;
    const before = await records();
    const res = await decide(SECRETARY, dossierId);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'permit_granted', decision: { outcome: 'granted', arreteNumber: 'ADR/2026/117', signedOn: '2026-03-02', notes: body.notes } });
    expect(res.body.opinions).toMatchObject([{ opinion: 'favourable_with_conditions', conditions: 'Façade en pierre locale', sessionId }]);
    const opinion = (await CommitteeOpinion.findOne({ where: { dossierId } }))!;
    expect((await PermitDecision.findOne({ where: { dossierId } }))!.toJSON()).toMatchObject({ opinionId: opinion.id, recordedById: id(SECRETARY), outcome: 'granted' });
    expect(await DossierEvent.findOne({ where: { dossierId }, order: [['id', 'DESC']] })).toMatchObject({ action: 'record_decision', toStatus: 'permit_granted' });
    expect((await OutboxMessage.findOne({ order: [['id', 'DESC']] }))!.text).toContain('ADR/2026/117');
    expect((await auditEntries()).at(-1)).toMatchObject({ action: 'dossier.decision', subject: `dossier:${dossierId}`, payload: { outcome: 'granted', opinionId: opinion.id } });
    expect(await verifyAuditLog()).toMatchObject({ ok: true });
    expect(await records()).toEqual({ ...before, decisions: 1, events: before.events + 1, outbox: before.outbox + 1, audit: before.audit + 1 });

    const again = await decide(SECRETARY, dossierId, { ...body, outcome: 'refused' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
    expect(await PermitDecision.count()).toBe(1);
  });

  it('the applicant reads the opinion with conditions, reasons and the documents shown, and the decision', async () => {
    const amina = await ApiClient.loggedIn(t.url, 'amina@example.tn');
    const view = (await amina.get(`/api/dossiers/${dossiers[0]!.dossierId}`)).body;
    expect(view.opinions).toEqual([expect.objectContaining({
      opinion: 'favourable_with_conditions', conditions: 'Façade en pierre locale', reasons: 'Conforme au plan d\'aménagement', sessionId,
      documents: dossiers[0]!.documents.slice(0, 2).map((d) => expect.objectContaining({ sha256: d.sha256 })),
    })]);
    expect(view.decision).toMatchObject({ outcome: 'granted', arreteNumber: 'ADR/2026/117' });
    const deferred = (await amina.get(`/api/dossiers/${dossiers[1]!.dossierId}`)).body;
    expect(deferred).toMatchObject({ status: 'deferred', opinions: [{ opinion: 'deferred', reasons: 'Pièces à compléter', conditions: '' }], decision: null });
  });
});
