import type { Sequelize } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../db/migrations';
import { Committee, CommitteeSeat, defineModels, Municipality, User } from '../../db/models';
import { seedDemo } from '../../server/demo/seed';
import type { MinutesContent, MinutesPerson, NamedBallot, VoteRecord } from '../../protocol/minutes';
import type { BallotChoice } from '../../protocol/voting';
import { attendanceFrom, itemOpinion, minutesHash, verifyMinutesPdf, type FinalizedMinutes } from '../../server/domain/minutes';
import { quorum, voteOutcome, type Seat } from '../../server/domain/voting';
import { renderMinutesPdf, type MinutesLanguage } from '../../server/services/minutesPdf';
import { loosely, pdfText } from '../support/pdfText';
import { createTestStore, type TestStore } from '../support/database';

let sequelize: Sequelize;
let store: TestStore;
let people: MinutesPerson[];
let content: MinutesContent;
const pdfs = new Map<MinutesLanguage, Buffer>();

/** A session of the demo committee, scripted from the seeded seats: two items, two votes. */
function scriptedMinutes(committee: Committee, municipality: Municipality, seatsWithUsers: (CommitteeSeat & { User?: User })[]): MinutesContent {
  const seats: Seat[] = seatsWithUsers.map((s) => ({ userId: s.userId, kind: s.kind, vetoHolder: s.vetoHolder }));
  const byEmail = new Map(seatsWithUsers.map((s) => [s.User!.email, s.userId]));
  const id = (email: string) => byEmail.get(`${email}@ain-draham.tn`)!;
  const at = (minute: number) => new Date(Date.UTC(2026, 10, 22, 8, minute));
  const everyone = seats.map((s) => s.userId);
  const intervals = everyone.map((userId) => ({ userId, joinedAt: at(0), leftAt: userId === id('steg') ? at(40) : null, mode: userId === id('protection') ? 'audio' as const : 'video' as const }));
  intervals.push({ userId: id('steg'), joinedAt: at(45), leftAt: null, mode: 'audio' });
  const named = (userId: number) => {
    const p = people.find((x) => x.userId === userId)!;
    return { userId, nameAr: p.nameAr, nameFr: p.nameFr };
  };
  const vote = (question: string, recused: number[], choices: [string, BallotChoice][], minute: number): VoteRecord => {
    const ballots = choices.map(([email, choice]) => ({ userId: id(email), choice }));
    const outcome = voteOutcome({ rules: committee.rules, seats, recused, presentAtClose: everyone, ballots });
    if (!outcome.valid) throw new Error('the scripted votes keep their quorum');
    const q = quorum(committee.rules, seats, everyone, recused);
    return {
      question, openedAt: at(minute).toISOString(), closedAt: at(minute + 5).toISOString(), quorumAtOpen: q, quorumAtClose: q,
      ballots: ballots.map((b): NamedBallot => ({ ...named(b.userId), choice: b.choice })), tally: outcome.tally,
      outcome: { valid: true, opinion: outcome.opinion, decidedBy: outcome.decidedBy, base: outcome.base }, reasons: '',
    };
  };
  const vote1 = vote('رأي اللجنة في الملف / Avis sur le dossier', [id('engineer')], [
    ['chair', 'favourable_with_conditions'], ['architect', 'favourable_with_conditions'], ['urbanism', 'favourable'], ['steg', 'favourable'], ['protection', 'unfavourable'],
  ], 10);
  const vote2 = vote('Avis sur la démolition', [], [
    ['chair', 'favourable'], ['architect', 'favourable'], ['engineer', 'favourable'], ['urbanism', 'unfavourable'], ['steg', 'abstain'], ['protection', 'favourable'],
  ], 50);
  const item = (position: number, reference: string, typeAr: string, typeFr: string, votes: VoteRecord[], extra: Partial<MinutesContent['items'][number]>) => ({
    position, dossierReference: reference, dossierTypeAr: typeAr, dossierTypeFr: typeFr, address: 'Aïn Draham',
    documents: [{ itemCode: 'architect_plans', labelAr: 'أمثلة المهندس المعماري', labelFr: 'Plans d’architecte', labelEn: 'Architect’s plans', fileName: 'big.pdf', version: 1, sha256: 'e3'.repeat(32) }],
    recusals: [], votes, opinion: itemOpinion(votes), conditions: '', reasons: '', notes: '', ...extra,
  });
  return {
    format: 1,
    municipality: { code: municipality.code, nameAr: municipality.nameAr, nameFr: municipality.nameFr },
    committee: { id: committee.id, nameAr: committee.nameAr, nameFr: committee.nameFr, rules: committee.rules },
    session: { id: 1, startsAt: at(0).toISOString(), mode: 'remote', location: '' },
    date: '2026-11-22',
    attendance: attendanceFrom(people, intervals),
    quorum: quorum(committee.rules, seats, everyone),
    items: [
      item(1, 'ADR-2026-0003', 'ترميم', 'Restauration', [vote1], {
        recusals: [{ ...named(id('engineer')), reason: 'قرابة مع صاحب المطلب' }],
        conditions: 'احترام الواجهة الأصلية / respect de la façade d’origine', notes: 'Le représentant de la STEG demande un raccordement souterrain.',
      }),
      item(2, 'ADR-2026-0005', 'هدم', 'Démolition', [vote2], { reasons: 'موقع قريب من معلم محمي' }),
    ],
    remarks: 'رفعت الجلسة على الساعة العاشرة. La séance est levée à 10 h.',
  };
}

beforeAll(async () => {
  store = await createTestStore('lajna-minutes-pdf-');
  sequelize = await store.open();
  defineModels(sequelize);
  await migrate(sequelize);
  await seedDemo(sequelize);
  const municipality = (await Municipality.findOne({ where: { code: 'ADR' } }))!;
  const committee = (await Committee.findOne({ where: { municipalityId: municipality.id } }))!;
  const seats = await CommitteeSeat.findAll({ where: { committeeId: committee.id }, include: [User] }) as (CommitteeSeat & { User?: User })[];
  people = seats.map((s) => ({ userId: s.userId, nameAr: s.User!.nameAr, nameFr: s.User!.nameFr, seat: s.kind, titleAr: s.titleAr, titleFr: s.titleFr }));
  content = scriptedMinutes(committee, municipality, seats);
  for (const language of ['ar', 'fr'] as const) pdfs.set(language, await renderMinutesPdf(content, language, { finalizedAt: '2026-11-22T10:30:00.000Z' }));
});

afterAll(async () => {
  await sequelize?.close();
  await store?.remove();
});

describe('minutes PDF', () => {
  it('the scripted votes give the outcomes the text is checked for', () => {
    expect(content.items.map((i) => [i.opinion, i.votes[0]!.outcome])).toEqual([
      ['favourable_with_conditions', { valid: true, opinion: 'favourable_with_conditions', decidedBy: 'majority', base: 5 }],
      ['unfavourable', { valid: true, opinion: 'unfavourable', decidedBy: 'veto', base: 5 }],
    ]);
  });

  it.each<[MinutesLanguage, string[], string]>([
    ['ar', ['رأي بالموافقة بشروط', 'رأي بالرفض', 'باعتراض ممثل الوزارة'], 'البصمة SHA-256 للمحتوى:'],
    ['fr', ['Avis favorable sous conditions', 'Avis défavorable', 'veto du représentant du ministère'], 'Empreinte SHA-256 du contenu:'],
  ])('in %s: every member\'s Arabic name, each item\'s outcome, page numbers and the hash line', (language, outcomes, hashLabel) => {
    const text = pdfText(pdfs.get(language)!);
    expect(people.length).toBe(8);
    for (const p of people) expect(text).toContain(p.nameAr);
    if (language === 'fr') for (const p of people) expect(text).toContain(p.nameFr);
    for (const outcome of outcomes) expect(text).toContain(outcome);
    expect(text).toContain('ADR-2026-0003');
    expect(text).toContain('ADR-2026-0005');
    expect(text).toMatch(language === 'ar' ? /صفحة ?1 ?من ?\d/ : /Page 1 \/ \d/);
    expect(text).toMatch(loosely(`${hashLabel} ${minutesHash(content)}`));
  });

  it.each<[MinutesLanguage, RegExp]>([
    // pdftotext reorders a right-to-left line its own way: the item and the file on one line.
    ['ar', /أمثلة المهندس المعماري.{0,8}big\.pdf/],
    ['fr', loosely('Plans d’architecte: big.pdf (v1)')],
  ])('in %s, a document is cited by its checklist item first, then by its file name', (language, citation) => {
    expect(pdfText(pdfs.get(language)!)).toMatch(citation);
  });

  it('gives the same bytes for the same finalized record, so a download can be verified', async () => {
    const again = await renderMinutesPdf(content, 'ar', { finalizedAt: '2026-11-22T10:30:00.000Z' });
    expect(again.equals(pdfs.get('ar')!)).toBe(true);
    const { createHash } = await import('node:crypto');
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    const records: FinalizedMinutes[] = [{ minutesId: 1, sessionId: 1, hash: minutesHash(content), pdfSha256: { ar: sha(pdfs.get('ar')!), fr: sha(pdfs.get('fr')!) }, finalizedAt: '2026-11-22T10:30:00.000Z' }];
    expect(verifyMinutesPdf(records, pdfs.get('fr')!)).toMatchObject({ valid: true, matched: 'pdf', language: 'fr' });
    const tampered = Buffer.from(pdfs.get('fr')!);
    tampered[tampered.length >> 1] ^= 0x01;
    expect(verifyMinutesPdf(records, tampered)).toEqual({ valid: false });
  });
});
