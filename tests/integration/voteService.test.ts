import type { Sequelize } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../db/migrations';
import { AgendaItem, Ballot, Committee, CommitteeOpinion, CommitteeSeat, CommitteeSession, defineModels, Dossier, DossierEvent, Municipality, User, Vote } from '../../db/models';
import { seedDemo } from '../../server/demo/seed';
import { AppError } from '../../server/errors';
import { auditEntries, verifyAuditLog } from '../../server/services/audit';
import { VoteService } from '../../server/services/votes';
import { createTestStore, type TestStore } from '../support/database';

let sequelize: Sequelize;
let store: TestStore;
let votes: VoteService;
const ids: Record<string, number> = {};
let everyone: number[];
let items: number[];

const open = async () => {
  const db = await store.open();
  defineModels(db);
  return db;
};

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return (error as AppError).code;
};

beforeAll(async () => {
  store = await createTestStore('lajna-votes-');
  sequelize = await open();
  await migrate(sequelize);
  await seedDemo(sequelize);
  votes = new VoteService(sequelize);
  const adr = (await Municipality.findOne({ where: { code: 'ADR' } }))!;
  const committee = (await Committee.findOne({ where: { municipalityId: adr.id } }))!;
  // Ten more voting members, so that 15 can vote at once.
  for (let i = 1; i <= 10; i++) {
    const user = await User.create({ email: `extra${i}@ain-draham.tn`, passwordHash: 'x', nameAr: `عضو ${i}`, nameFr: `Membre ${i}` });
    await CommitteeSeat.create({ committeeId: committee.id, userId: user.id, kind: 'voting', titleAr: 'عضو', titleFr: 'Membre' });
  }
  for (const u of await User.findAll()) ids[u.email] = u.id;
  everyone = (await CommitteeSeat.findAll({ where: { committeeId: committee.id } })).map((s) => s.userId);
  const session = await CommitteeSession.create({ committeeId: committee.id, startsAt: new Date(), mode: 'remote', status: 'live' });
  const dossiers = await Dossier.findAll({ where: { municipalityId: adr.id }, order: [['id', 'ASC']] });
  items = [];
  // The first three dossiers on the live session's agenda (scheduled), the fourth on a planned session's.
  for (const [i, d] of dossiers.slice(0, 3).entries()) {
    await d.update({ status: 'scheduled' });
    items.push((await AgendaItem.create({ sessionId: session.id, dossierId: d.id, position: i + 1 })).id);
  }
  const planned = await CommitteeSession.create({ committeeId: committee.id, startsAt: new Date(), mode: 'remote' });
  await dossiers[3]!.update({ status: 'scheduled' });
  items.push((await AgendaItem.create({ sessionId: planned.id, dossierId: dossiers[3]!.id, position: 1 })).id);
});

afterAll(async () => {
  await sequelize?.close();
  await store?.remove();
});

const id = (name: string) => ids[name.includes('@') ? name : `${name}@ain-draham.tn`]!;

describe('votes on a real database', () => {
  let voteId: number;

  it('refuses to open without quorum, by anyone but the chair, outside a live session, or on a dossier not scheduled', async () => {
    expect(await refusal(votes.open(items[0]!, id('chair'), 'Avis ?', '', [id('chair'), id('architect'), id('secretary'), id('sonede')]))).toBe('quorum_not_met');
    expect(await refusal(votes.open(items[0]!, id('architect'), 'Avis ?', '', everyone))).toBe('forbidden');
    expect(await refusal(votes.open(items[3]!, id('chair'), 'Avis ?', '', everyone))).toBe('invalid_transition');
    const item = (await AgendaItem.findByPk(items[0]!))!;
    await Dossier.update({ status: 'complete' }, { where: { id: item.dossierId } });
    expect(await refusal(votes.open(items[0]!, id('chair'), 'Avis ?', '', everyone))).toBe('invalid_transition');
    await Dossier.update({ status: 'scheduled' }, { where: { id: item.dossierId } });
    expect(await Vote.count()).toBe(0);
  });

  it('records a recusal, then opens with quorum; a second open vote on the item is refused', async () => {
    await votes.recuse(items[0]!, id('engineer'), 'parent du demandeur');
    await votes.recuse(items[0]!, id('engineer'), 'parent du demandeur');
    expect(await refusal(votes.recuse(items[0]!, id('amina@example.tn'), 'x'))).toBe('forbidden');
    const vote = await votes.open(items[0]!, id('chair'), 'Avis sur le dossier', 'Respect de la façade', everyone);
    voteId = vote.id;
    expect(vote.quorumAtOpen).toMatchObject({ met: true, votingMembers: 16, present: 15 });
    expect(await refusal(votes.open(items[0]!, id('chair'), 'Encore ?', '', everyone))).toBe('conflict');
    expect(await refusal(votes.recuse(items[0]!, id('steg'), 'trop tard'))).toBe('conflict');
  });

  it.each<[string, string, number[] | null, string]>([
    ['an applicant', 'amina@example.tn', null, 'forbidden'],
    ['a consultative member', 'sonede', null, 'forbidden'],
    ['the secretary', 'secretary', null, 'forbidden'],
    ['a recused member', 'engineer', null, 'recused'],
    ['a member of another committee', 'member@tabarka.tn', null, 'forbidden'],
    ['an absent member', 'steg', [], 'forbidden'],
  ])('refuses a ballot from %s', async (_n, who, presence, code) => {
    const present = presence ?? [...everyone, id('amina@example.tn'), id('member@tabarka.tn')];
    expect(await refusal(votes.cast(voteId, id(who), 'favourable', present))).toBe(code);
  });

  it('15 members casting at the same moment, each twice, give exactly 15 ballots', async () => {
    const voters = everyone.filter((u) => u !== id('engineer') && u !== id('secretary') && u !== id('sonede'));
    expect(voters).toHaveLength(15);
    const choice = (u: number) => (u === id('protection') ? 'unfavourable' as const : 'favourable_with_conditions' as const);
    const results = await Promise.all(voters.flatMap((u) => [votes.cast(voteId, u, choice(u), everyone), votes.cast(voteId, u, choice(u), everyone)]));
    expect(results.filter((r) => r.effect === 'record')).toHaveLength(15);
    expect(results.filter((r) => r.effect === 'unchanged')).toHaveLength(15);
    expect(await Ballot.count({ where: { voteId } })).toBe(15);
  });

  it('lets a member change their ballot until close (the demo rules allow it)', async () => {
    const { effect } = await votes.cast(voteId, id('architect'), 'favourable', everyone);
    expect(effect).toBe('replace');
    expect((await Ballot.findOne({ where: { voteId, userId: id('architect') } }))!.choice).toBe('favourable');
  });

  it('the database itself refuses a second ballot row for a member', async () => {
    await expect(Ballot.create({ voteId, userId: id('architect'), choice: 'deferred', castAt: new Date() })).rejects.toThrow();
  });

  it('closes with the outcome by the rules, in the audit chain; a later cast is refused', async () => {
    expect(await refusal(votes.close(voteId, id('architect'), everyone))).toBe('forbidden');
    const { vote, outcome, opinion } = await votes.close(voteId, id('chair'), everyone, 'Conforme au plan d\'aménagement');
    expect(outcome).toMatchObject({ valid: true, opinion: 'favourable_with_conditions', decidedBy: 'majority' });
    expect(vote.tally).toEqual({ favourable: 1, favourable_with_conditions: 13, unfavourable: 1, deferred: 0, abstain: 0, cast: 15 });
    expect(vote.reasons).toBe('Conforme au plan d\'aménagement');
    const item = (await AgendaItem.findByPk(items[0]!))!;
    expect((await CommitteeOpinion.findByPk(opinion!.id))!.toJSON()).toMatchObject({
      dossierId: item.dossierId, voteId, opinion: 'favourable_with_conditions', conditions: 'Respect de la façade', reasons: 'Conforme au plan d\'aménagement', documents: [],
    });
    expect((await Dossier.findByPk(item.dossierId))!.status).toBe('favourable_with_conditions');
    expect((await DossierEvent.findOne({ where: { dossierId: item.dossierId }, order: [['id', 'DESC']] }))!.toJSON()).toMatchObject({
      action: 'record_opinion', fromStatus: 'scheduled', toStatus: 'favourable_with_conditions', actorId: id('chair'),
    });
    expect(await refusal(votes.cast(voteId, id('steg'), 'unfavourable', everyone))).toBe('vote_closed');
    // The chair's close retried (its answer lost): the closed vote again, nothing written.
    const audit = (await auditEntries()).length;
    const retried = await votes.close(voteId, id('chair'), [], 'other reasons');
    expect(retried).toMatchObject({ repeated: true, vote: { id: voteId, status: 'closed', reasons: 'Conforme au plan d\'aménagement', tally: vote.tally }, opinion: { id: opinion!.id } });
    expect(retried.outcome).toEqual(outcome);
    expect(await refusal(votes.close(voteId, id('architect'), everyone))).toBe('forbidden');
    expect((await auditEntries()).length).toBe(audit);
    const last = (await auditEntries()).at(-1)!;
    expect(last).toMatchObject({ action: 'vote.closed', subject: `vote:${voteId}`, payload: { outcome: { opinion: 'favourable_with_conditions' }, recused: [id('engineer')] } });
    expect(await verifyAuditLog()).toMatchObject({ ok: true });
  });

  it('quorum lost between open and close gives no valid outcome, no opinion, and the dossier stays scheduled', async () => {
    const vote = await votes.open(items[1]!, id('chair'), 'Avis ?', '', everyone);
    // Cast at the same moment (one commit): the refused ballot leaves the others alone.
    const [chair, sonede, architect] = await Promise.allSettled([
      votes.cast(vote.id, id('chair'), 'favourable', everyone), votes.cast(vote.id, id('sonede'), 'favourable', everyone),
      votes.cast(vote.id, id('architect'), 'unfavourable', everyone),
    ]);
    expect(chair).toMatchObject({ status: 'fulfilled', value: { effect: 'record', progress: { voted: [id('chair')] } } });
    expect(sonede).toMatchObject({ status: 'rejected', reason: { code: 'forbidden' } });
    expect(architect).toMatchObject({ status: 'fulfilled', value: { effect: 'record', progress: { voted: [id('chair'), id('architect')], tally: null } } });
    const { outcome, opinion } = await votes.close(vote.id, id('chair'), [id('chair'), id('architect')], 'sans objet');
    expect(outcome).toMatchObject({ valid: false, reason: 'quorum_lost' });
    expect(opinion).toBeNull();
    const item = (await AgendaItem.findByPk(items[1]!))!;
    expect(await CommitteeOpinion.count({ where: { dossierId: item.dossierId } })).toBe(0);
    expect((await Dossier.findByPk(item.dossierId))!.status).toBe('scheduled');
  });

  it('a restart during an open vote keeps it open with its ballots, and closing it works', async () => {
    const vote = await votes.open(items[2]!, id('chair'), 'Avis sur la démolition', '', everyone);
    await votes.cast(vote.id, id('chair'), 'unfavourable', everyone);
    await votes.cast(vote.id, id('architect'), 'unfavourable', everyone);
    await votes.cast(vote.id, id('urbanism'), 'favourable', everyone);
    await sequelize.close();
    sequelize = await open();
    votes = new VoteService(sequelize);
    const restored = await votes.openVote(items[2]!);
    expect(restored?.vote.id).toBe(vote.id);
    expect(restored?.ballots.map((b) => [b.userId, b.choice])).toEqual([[id('chair'), 'unfavourable'], [id('architect'), 'unfavourable'], [id('urbanism'), 'favourable']]);
    const { outcome } = await votes.close(vote.id, id('chair'), everyone);
    expect(outcome).toMatchObject({ valid: true, opinion: 'unfavourable', decidedBy: 'majority' });
    expect(await votes.openVote(items[2]!)).toBeNull();
  });
});
