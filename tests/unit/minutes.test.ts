import { describe, expect, it } from 'vitest';
import { citeMarkups, type CitedMarkup } from '../../protocol/citations';
import type { Markup } from '../../protocol/markups';
import type { MinutesContent, MinutesPerson, SignerRole, VoteRecord } from '../../protocol/minutes';
import { DEFAULT_RULES } from '../../server/demo/seed';
import {
  attendanceFrom, checkSignature, editMinutes, itemOpinion, minutesCanonical, minutesHash, minutesMarkups, nextSigner, publishedOpinions, verifyMinutes, verifyMinutesPdf, withSecretaryText,
  type FinalizedMinutes, type SigningState,
} from '../../server/domain/minutes';
import { sha256Hex } from '../../server/domain/auditChain';

const person = (userId: number, seat: MinutesPerson['seat'], nameFr: string): MinutesPerson =>
  ({ userId, seat, nameFr, nameAr: `ع${userId}`, titleAr: '', titleFr: '' });

const vote = (outcome: VoteRecord['outcome']): VoteRecord => ({
  question: 'Avis sur le dossier', openedAt: '2026-11-22T09:00:00.000Z', closedAt: '2026-11-22T09:05:00.000Z',
  quorumAtOpen: { required: 3, present: 5, votingMembers: 6, met: true }, quorumAtClose: { required: 3, present: 5, votingMembers: 6, met: true },
  ballots: [], tally: { favourable: 0, favourable_with_conditions: 0, unfavourable: 0, deferred: 0, abstain: 0, cast: 0 }, outcome, reasons: '',
});

const content = (): MinutesContent => ({
  format: 1,
  municipality: { code: 'ADR', nameAr: 'بلدية عين دراهم', nameFr: 'Commune de Aïn Draham' },
  committee: { id: 1, nameAr: 'اللجنة', nameFr: 'Commission', rules: DEFAULT_RULES },
  session: { id: 7, startsAt: '2026-11-22T08:30:00.000Z', mode: 'remote', location: '' },
  date: '2026-11-22',
  attendance: [],
  quorum: { required: 3, present: 5, votingMembers: 6, met: true },
  items: [1, 2].map((position) => ({
    position, dossierReference: `ADR-2026-000${position}`, dossierTypeAr: 'بناء جديد', dossierTypeFr: 'Construction nouvelle', address: 'Rue',
    documents: [], recusals: [], votes: [], opinion: null, conditions: '', reasons: '', notes: '',
  })),
  remarks: '',
});

describe('minutes hash', () => {
  it('does not depend on key order and changes with any content', () => {
    const a = content();
    const reverseKeys = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reverseKeys)
        : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverseKeys(x)])) : v;
    const reordered = reverseKeys(a) as MinutesContent;
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(a));
    expect(minutesCanonical(reordered)).toBe(minutesCanonical(a));
    expect(minutesHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(minutesHash({ ...a, remarks: ' ' })).not.toBe(minutesHash(a));
  });
});

describe('attendanceFrom', () => {
  it('orders people by seat then name, and stretches by time, once each', () => {
    const t = (m: number) => new Date(Date.UTC(2026, 10, 22, 9, m));
    const people = [person(8, 'consultative', 'Fatma'), person(3, 'voting', 'Leila'), person(2, 'secretary', 'Salma'), person(4, 'voting', 'Karim'), person(1, 'chair', 'Mohamed')];
    const attendance = attendanceFrom(people, [
      { userId: 3, joinedAt: t(20), leftAt: null, mode: 'audio' },
      { userId: 3, joinedAt: t(0), leftAt: t(10), mode: 'video' },
      { userId: 3, joinedAt: t(0), leftAt: t(10), mode: 'video' },
      { userId: 1, joinedAt: t(0), leftAt: null, mode: 'video' },
    ]);
    expect(attendance.map((a) => a.userId)).toEqual([1, 4, 3, 8, 2]);
    expect(attendance[2]!.stretches).toEqual([
      { joinedAt: t(0).toISOString(), leftAt: t(10).toISOString(), mode: 'video' },
      { joinedAt: t(20).toISOString(), leftAt: null, mode: 'audio' },
    ]);
    expect(attendance[1]!.stretches).toEqual([]);
  });
});

describe('itemOpinion', () => {
  it.each<[string, VoteRecord[], ReturnType<typeof itemOpinion>]>([
    ['no vote', [], null],
    ['one valid vote', [vote({ valid: true, opinion: 'unfavourable', decidedBy: 'majority', base: 5 })], 'unfavourable'],
    ['quorum lost only', [vote({ valid: false, reason: 'quorum_lost' })], null],
    ['revoted after quorum was lost', [vote({ valid: false, reason: 'quorum_lost' }), vote({ valid: true, opinion: 'favourable', decidedBy: 'casting_vote', base: 4 })], 'favourable'],
  ])('%s', (_n, votes, expected) => {
    expect(itemOpinion(votes)).toBe(expected);
  });
});

describe('editMinutes', () => {
  it('applies remarks and per-item notes to a draft', () => {
    const r = editMinutes(content(), null, { remarks: 'Séance levée à 11h', notes: { 2: 'ملاحظة' } });
    expect(r.ok && [r.content.remarks, r.content.items[0]!.notes, r.content.items[1]!.notes]).toEqual(['Séance levée à 11h', '', 'ملاحظة']);
  });
  it.each<[string, string | null, Parameters<typeof editMinutes>[2], string]>([
    ['any edit after finalize', '2026-11-22T12:00:00.000Z', { remarks: 'x' }, 'immutable'],
    ['even an empty edit after finalize', '2026-11-22T12:00:00.000Z', {}, 'immutable'],
    ['a note for an item not on the agenda', null, { notes: { 9: 'x' } }, 'not_found'],
    ['excluding a chat message from minutes that have no chat annex', null, { excludeChat: { 1: 'hors sujet' } }, 'not_found'],
  ])('refuses %s', (_n, finalizedAt, edit, code) => {
    expect(editMinutes(content(), finalizedAt, edit)).toMatchObject({ ok: false, code });
  });
});

describe('the chat annex in editMinutes and withSecretaryText', () => {
  const chat = [1, 2].map((messageId) => ({ messageId, userId: 4, nameAr: 'كريم', nameFr: 'Karim', sentAt: '2026-11-22T09:00:00.000Z', text: `m${messageId}`, excluded: null }));
  it('excludes a message with its reason, with the text edit in the same step', () => {
    const r = editMinutes({ ...content(), chat }, null, { remarks: 'r', excludeChat: { 2: 'hors sujet' } });
    expect(r.ok && [r.content.remarks, r.content.chat]).toEqual(['r', [chat[0], { ...chat[1], text: '', excluded: { reason: 'hors sujet' } }]]);
  });
  it('carries the exclusion over when the records are assembled again', () => {
    const stored = { ...content(), chat: [chat[0]!, { ...chat[1]!, text: '', excluded: { reason: 'hors sujet' } }] };
    expect(withSecretaryText({ ...content(), chat }, stored).chat).toEqual(stored.chat);
  });
});

describe('withSecretaryText', () => {
  const stored = (): MinutesContent => {
    const c = content();
    c.remarks = 'Séance levée à 11h';
    c.items[0]!.notes = 'note 1';
    c.items[1]!.notes = 'ملاحظة 2';
    return c;
  };
  const assembled = (positions: number[], opinion: VoteRecord['outcome'] | null = null): MinutesContent => {
    const c = content();
    c.items = positions.map((position) => ({ ...c.items[0]!, position, dossierReference: `ADR-2026-000${position}`, votes: opinion ? [vote(opinion)] : [] }));
    return c;
  };
  const favourable: VoteRecord['outcome'] = { valid: true, opinion: 'favourable', decidedBy: 'majority', base: 5 };
  it.each<[string, MinutesContent, MinutesContent | null, { remarks: string; notes: string[]; votes: number[] }]>([
    ['no stored draft: the assembled minutes as they are', assembled([1, 2]), null, { remarks: '', notes: ['', ''], votes: [0, 0] }],
    ['the records moved on (a vote closed): the text stays', assembled([1, 2], favourable), stored(), { remarks: 'Séance levée à 11h', notes: ['note 1', 'ملاحظة 2'], votes: [1, 1] }],
    ['an item with no stored text gets none', assembled([1, 2, 3]), stored(), { remarks: 'Séance levée à 11h', notes: ['note 1', 'ملاحظة 2', ''], votes: [0, 0, 0] }],
    ['an item no longer on the agenda loses its text', assembled([2]), stored(), { remarks: 'Séance levée à 11h', notes: ['ملاحظة 2'], votes: [0] }],
  ])('%s', (_n, fresh, previous, expected) => {
    const merged = withSecretaryText(fresh, previous);
    expect({ remarks: merged.remarks, notes: merged.items.map((i) => i.notes), votes: merged.items.map((i) => i.votes.length) }).toEqual(expected);
  });
});

describe('signing order', () => {
  const H = 'a'.repeat(64);
  const state = (finalized: boolean, ...signed: SignerRole[]): SigningState =>
    ({ finalizedAt: finalized ? '2026-11-22T12:00:00.000Z' : null, hash: finalized ? H : null, signatures: signed.map((role) => ({ role })) });
  it.each<[string, SigningState, SignerRole, string, ReturnType<typeof checkSignature>]>([
    ['secretary signs first', state(true), 'secretary', H, { ok: true }],
    ['chair after the secretary', state(true, 'secretary'), 'chair', H, { ok: true }],
    ['chair before the secretary', state(true), 'chair', H, { ok: false, code: 'out_of_order', reason: 'waiting_for', expected: 'secretary' }],
    ['before finalize', state(false), 'secretary', H, { ok: false, code: 'invalid_transition', reason: 'not_finalized' }],
    ['another hash than the finalized one', state(true), 'secretary', 'b'.repeat(64), { ok: false, code: 'conflict', reason: 'hash_mismatch' }],
    ['secretary twice', state(true, 'secretary'), 'secretary', H, { ok: false, code: 'conflict', reason: 'already_signed' }],
    ['chair twice', state(true, 'secretary', 'chair'), 'chair', H, { ok: false, code: 'conflict', reason: 'already_signed' }],
  ])('%s', (_n, s, role, hash, expected) => {
    expect(checkSignature(s, role, hash)).toEqual(expected);
  });
  it.each<[string, SigningState, SignerRole | null]>([
    ['draft', state(false), null],
    ['finalized', state(true), 'secretary'],
    ['secretary signed', state(true, 'secretary'), 'chair'],
    ['both signed', state(true, 'secretary', 'chair'), null],
  ])('next signer: %s', (_n, s, expected) => {
    expect(nextSigner(s)).toBe(expected);
  });
});

describe('verifyMinutes', () => {
  const pdf = new TextEncoder().encode('%PDF-1.7 minutes');
  const records: FinalizedMinutes[] = [
    { minutesId: 1, sessionId: 7, hash: 'c'.repeat(64), pdfSha256: { ar: sha256Hex(pdf), fr: 'd'.repeat(64) }, finalizedAt: '2026-11-22T12:00:00.000Z' },
  ];
  const base = { valid: true, minutesId: 1, sessionId: 7, finalizedAt: '2026-11-22T12:00:00.000Z' };
  it.each<[string, string, ReturnType<typeof verifyMinutes>]>([
    ['the printed content hash', 'c'.repeat(64), { ...base, matched: 'content_hash' }],
    ['the printed hash in capitals with spaces', ` ${'C'.repeat(64)} `, { ...base, matched: 'content_hash' }],
    ['the French PDF\'s hash', 'd'.repeat(64), { ...base, matched: 'pdf', language: 'fr' }],
    ['an unknown hash', 'e'.repeat(64), { valid: false }],
    ['not a hash', 'hello', { valid: false }],
  ])('%s', (_n, hash, expected) => {
    expect(verifyMinutes(records, hash)).toEqual(expected);
  });
  it('a PDF matches until one byte changes', () => {
    expect(verifyMinutesPdf(records, pdf)).toMatchObject({ valid: true, matched: 'pdf', language: 'ar' });
    const changed = pdf.slice();
    changed[5] ^= 1;
    expect(verifyMinutesPdf(records, changed)).toEqual({ valid: false });
  });
});

describe('publishedOpinions', () => {
  it('gives the reference and the opinion of each item, and nothing about the applicant or the place', () => {
    const c = content();
    c.items[0] = { ...c.items[0]!, opinion: 'unfavourable', address: 'Rue des Chênes 12', notes: 'Mme Hammami absente', reasons: 'hauteur' };
    const published = publishedOpinions(c);
    expect(published).toEqual({ sessionId: 7, date: '2026-11-22', municipality: { code: 'ADR', nameAr: 'بلدية عين دراهم', nameFr: 'Commune de Aïn Draham' }, items: [
      { dossierReference: 'ADR-2026-0001', opinion: 'unfavourable' }, { dossierReference: 'ADR-2026-0002', opinion: null },
    ] });
    expect(JSON.stringify(published)).not.toMatch(/Chênes|Hammami|hauteur/);
  });
});

describe('minutesMarkups', () => {
  const names = { ar: 'ليلى', fr: 'Leila' };
  const live = (number: number, deletedAt: string | null, measurement?: Markup['measurement']): Markup => ({
    id: number, agendaItemId: 1, number, documentId: 1, documentVersionId: 1, documentSha256: 'a'.repeat(64), page: 2, kind: measurement ? 'distance' : 'cloud',
    color: 'red', points: [[0, 0], [1, 1]], ...(measurement ? { measurement } : {}), authorId: 5, authorName: names, createdAt: '2026-11-22T09:00:00.000Z', deletedAt,
  });
  // The vote's frozen copy, made while the markup was shown.
  const cited = (m: Markup): CitedMarkup => (citeMarkups([m.number], [{ ...m, deletedAt: null }]) as { ok: true; cited: CitedMarkup[] }).cited[0]!;
  const documents = [{ itemCode: 'plans', labelAr: '', labelFr: '', labelEn: '', fileName: 'plan.pdf', version: 1, sha256: 'a'.repeat(64) }];

  it.each([
    ['no markups: absent, so the item serialises as before markups existed', [], [], undefined],
    ['a deleted one not cited is left out; a shown one is listed, not cited', [live(1, '2026-11-22T09:01:00.000Z'), live(2, null)], [], [[2, false]]],
    ['a cited one deleted since stays, as cited, by number', [live(3, null, { value: 12.5, unit: 'm' }), live(1, '2026-11-22T09:01:00.000Z')], [1], [[1, true], [3, false]]],
  ] as const)('%s', (_, found, citedNumbers, expected) => {
    const list = minutesMarkups(found, found.filter((m) => (citedNumbers as readonly number[]).includes(m.number)).map(cited), documents);
    expect(list?.map((m) => [m.number, m.cited])).toEqual(expected);
    for (const m of list ?? []) expect(m).toMatchObject({ fileName: 'plan.pdf', page: 2, authorName: names });
    if (list?.at(-1)?.number === 3) expect(list.at(-1)).toMatchObject({ kind: 'distance', measurement: { value: 12.5, unit: 'm' } });
  });

  it('leaves the hash of minutes made before markups unchanged (no markups key)', () => {
    expect(Object.keys(content().items[0]!)).not.toContain('markups');
    expect(minutesHash(content())).toBe('b5410ebd74ea5171557c1e58307b398d19d50b4a1ec03ac7113f034b889d6a4a');
  });
});
