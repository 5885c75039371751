import { describe, expect, it } from 'vitest';
import { citedPages, citeMarkups, conditionSegments, CitedNumbers, MAX_CITED_MARKUPS, type CitedMarkup } from '../../protocol/citations';
import type { Markup } from '../../protocol/markups';

const markup = (number: number, over: Partial<Markup> = {}): Markup => ({
  id: 100 + number, agendaItemId: 7, number, documentId: 3, documentVersionId: 30, documentSha256: 'a'.repeat(64), page: 1,
  kind: 'cloud', color: 'red', points: [[10, 20], [110, 220]], authorId: 1, authorName: { ar: 'رئيس', fr: 'Président' },
  createdAt: '2026-12-02T09:00:00.000Z', deletedAt: null, ...over,
});
const ITEM = [
  markup(1),
  markup(2, { kind: 'distance', points: [[0, 0], [141.7, 0]], measurement: { value: 5, unit: 'm' } }),
  markup(3, { deletedAt: '2026-12-02T09:05:00.000Z' }),
  markup(4, { page: 2, kind: 'text', points: [[5, 5]], text: 'recul 5 m' }),
  markup(5, { documentVersionId: 31, documentSha256: 'b'.repeat(64) }),
];

describe('which markups a vote cites', () => {
  it.each<[string, number[], { ok: true; numbers: number[] } | { ok: false; code: string; numbers: number[] }]>([
    ['none', [], { ok: true, numbers: [] }],
    ['one', [2], { ok: true, numbers: [2] }],
    ['several, in number order', [4, 1, 2], { ok: true, numbers: [1, 2, 4] }],
    ['a number given twice is cited once', [2, 2, 1], { ok: true, numbers: [1, 2] }],
    ['a number the item lacks', [1, 9], { ok: false, code: 'unknown_markup', numbers: [9] }],
    ['unknown wins over deleted, and every fault is named', [3, 9, 8], { ok: false, code: 'unknown_markup', numbers: [8, 9] }],
    ['an undone or deleted markup', [1, 3], { ok: false, code: 'deleted_markup', numbers: [3] }],
  ])('%s', (_name, numbers, expected) => {
    const r = citeMarkups(numbers, ITEM.filter((m) => numbers.includes(m.number)));
    if (expected.ok) {
      expect(r.ok).toBe(true);
      expect(r.ok && r.cited.map((m) => m.number)).toEqual(expected.numbers);
    } else {
      expect(r).toEqual(expected);
    }
  });

  it('keeps a frozen copy: the version, its sha256, the geometry and the measurement as drawn', () => {
    const live = markup(2, { kind: 'distance', points: [[0, 0], [141.7, 0]], measurement: { value: 5, unit: 'm' } });
    const r = citeMarkups([2], [live]);
    expect(r.ok && r.cited[0]).toEqual({
      markupId: 102, number: 2, kind: 'distance', color: 'red', page: 1, documentId: 3, documentVersionId: 30, documentSha256: 'a'.repeat(64),
      points: [[0, 0], [141.7, 0]], measurement: { value: 5, unit: 'm' }, authorName: { ar: 'رئيس', fr: 'Président' }, drawnAt: '2026-12-02T09:00:00.000Z',
    });
    // Changing the live object afterwards changes nothing in the copy.
    live.points[1]![0] = 999;
    live.measurement!.value = 42;
    expect(r.ok && r.cited[0]!.points[1]).toEqual([141.7, 0]);
    expect(r.ok && r.cited[0]!.measurement!.value).toBe(5);
  });

  it.each<[string, unknown, boolean]>([
    ['empty', [], true],
    ['the most allowed', Array.from({ length: MAX_CITED_MARKUPS }, (_, i) => i + 1), true],
    ['one too many', Array.from({ length: MAX_CITED_MARKUPS + 1 }, (_, i) => i + 1), false],
    ['zero', [0], false],
    ['negative', [-1], false],
    ['not whole', [1.5], false],
    ['a string', ['3'], false],
  ])('numbers on the wire: %s', (_name, input, valid) => {
    expect(CitedNumbers.safeParse(input).success).toBe(valid);
  });
});

describe('the marked-up pages of the cited markups', () => {
  const cite = (...numbers: number[]): CitedMarkup[] => {
    const r = citeMarkups(numbers, ITEM);
    if (!r.ok) throw new Error(r.code);
    return r.cited;
  };
  it.each<[string, number[], { documentVersionId: number; page: number; numbers: number[] }[]]>([
    ['none', [], []],
    ['two on one page make one image', [1, 2], [{ documentVersionId: 30, page: 1, numbers: [1, 2] }]],
    ['another page', [1, 4], [{ documentVersionId: 30, page: 1, numbers: [1] }, { documentVersionId: 30, page: 2, numbers: [4] }]],
    ['the same page of another version is another image', [5, 1], [{ documentVersionId: 30, page: 1, numbers: [1] }, { documentVersionId: 31, page: 1, numbers: [5] }]],
  ])('%s', (_name, numbers, expected) => {
    expect(citedPages(cite(...numbers)).map(({ documentVersionId, page, numbers }) => ({ documentVersionId, page, numbers }))).toEqual(expected);
  });
});

describe('the conditions read as text and links to cited markups', () => {
  it.each<[string, string, number[], ({ text: string } | { text: string; number: number })[]]>([
    ['no citation', 'Toiture en tuiles', [1], [{ text: 'Toiture en tuiles' }]],
    ['English', 'Set back, see markup 3.', [3], [{ text: 'Set back, see ' }, { text: 'markup 3', number: 3 }, { text: '.' }]],
    ['French, with n°', 'Voir annotation n° 2 et Annotation 4', [2, 4],
      [{ text: 'Voir ' }, { text: 'annotation n° 2', number: 2 }, { text: ' et ' }, { text: 'Annotation 4', number: 4 }]],
    ['Arabic', 'انظر العلامة 1 على المخطط', [1], [{ text: 'انظر ' }, { text: 'العلامة 1', number: 1 }, { text: ' على المخطط' }]],
    ['a number not cited stays text', 'see markup 7 and markup 1', [1], [{ text: 'see markup 7 and ' }, { text: 'markup 1', number: 1 }]],
    ['no number cited: all text', 'see markup 1', [], [{ text: 'see markup 1' }]],
    ['12 is not 1', 'markup 12', [1], [{ text: 'markup 12' }]],
    ['empty', '', [1], []],
  ])('%s', (_name, text, cited, expected) => {
    expect(conditionSegments(text, cited)).toEqual(expected);
    expect(conditionSegments(text, cited).map((s) => s.text).join('')).toBe(text);
  });
});
