import { describe, expect, it } from 'vitest';
import { declaredObjects, dictionaryIn, lastStartXref, MAX_SECTIONS, objectsAllowed, type ReadAt } from '../../server/domain/pdfCrossReference';

/** A file held as text, with its sections placed at known offsets. */
function file(parts: (string | ((offsets: number[]) => string))[]): { read: ReadAt; size: number } {
  // Two passes: offsets are known once every literal part is laid out (the functions only write numbers of fixed width).
  const offsets: number[] = [];
  let text = '';
  for (const pass of [0, 1]) {
    text = '';
    parts.forEach((p, i) => {
      if (pass === 0) offsets[i] = text.length;
      text += typeof p === 'string' ? p : p(offsets);
    });
  }
  return { read: (o, l) => text.slice(o, o + l), size: text.length };
}

const pad = (n: number) => String(n).padStart(10, '0');
const table = (count: number, trailer: string) => `xref\n0 ${count}\n${'0000000000 65535 f \n'.repeat(count)}trailer\n<< ${trailer} >>\n`;
const startxref = (part: number) => (o: number[]) => `startxref\n${pad(o[part]!)}\n%%EOF\n`;

describe('lastStartXref', () => {
  it.each([
    ['trailer\nstartxref\n1234\n%%EOF\n', 1234],
    ['startxref 10\n%%EOF startxref\r\n99\r\n%%EOF', 99],
    ['startxref\n\n   7\n', 7],
    ['%%EOF\n', null],
    ['startxref\nabc\n%%EOF', null],
  ])('%j → %s', (tail, offset) => {
    expect(lastStartXref(tail)).toBe(offset);
  });
});

describe('dictionaryIn', () => {
  it.each([
    ['<< /Size 5 >> stream', '<< /Size 5 >>'],
    ['junk << /A << /B 1 >> /C 2 >> tail', '<< /A << /B 1 >> /C 2 >>'],
    ['<< /T (a >> b \\) c) /S 1 >>', '<< /T   /S 1 >>'],
    ['<< /T (nested (parens) >>) /S 1 >>', '<< /T   /S 1 >>'],
    ['<< /A 1 % a comment >>\n/B 2 >>', '<< /A 1  \n/B 2 >>'],
    ['<< /A 1', null],
    ['no dictionary', null],
  ])('%j → %j', (text, dict) => {
    expect(dictionaryIn(text)).toBe(dict);
  });
});

describe('objectsAllowed', () => {
  it.each([
    [0, 1024],
    [300_000, 301_024],
    [40_000_000, 40_001_024],
  ])('a file of %i bytes may hold %i objects', (size, allowed) => {
    expect(objectsAllowed(size)).toBe(allowed);
  });
});

describe('declaredObjects', () => {
  it.each<[string, number | null, (string | ((o: number[]) => string))[]]>([
    ['a classic table and its trailer', 5, ['%PDF-1.7\n', table(5, '/Size 5 /Root 1 0 R'), startxref(1)]],
    ['a trailer /Size beyond its table', 70_000_000, ['%PDF-1.7\n', table(3, '/Size 70000000 /Root 1 0 R'), startxref(1)]],
    ['a subsection header declaring more rows than the file has', 60_000_000, ['%PDF-1.7\n', 'xref\n0 60000000\n0000000000 65535 f \ntrailer << /Size 1 >>\n', startxref(1)]],
    ['subsections: the highest object number they reach', 901, ['%PDF-1.7\n', 'xref\n0 2\n0000000000 65535 f \n0000000009 00000 n \n900 1\n0000000009 00000 n \ntrailer\n<< /Size 3 >>\n', startxref(1)]],
    ['a cross-reference stream with /Size', 60_000_000, ['%PDF-1.7\n', '7 0 obj\n<< /Type /XRef /Size 60000000 /W [1 3 1] /Length 0 >>\nstream\n\nendstream\nendobj\n', startxref(1)]],
    ['a cross-reference stream whose /Index reaches further', 5_000_003, ['%PDF-1.7\n', '7 0 obj\n<< /Type /XRef /Size 8 /Index [0 8 5000000 3] /W [1 3 1] >>\nstream\n\nendstream\n', startxref(1)]],
    ['a stream without /Type (a reader takes whatever stream startxref points at)', 9_000_000, ['%PDF-1.7\n', '7 0 obj << /Size 9000000 /W [1 3 1] >> stream\n', startxref(1)]],
    ['a decoy /Size in a string does not hide the real one', 60_000_000, ['%PDF-1.7\n', '7 0 obj << /ID [(/Size 1)] /Size 60000000 >> stream\n', startxref(1)]],
    ['a string holding ">> stream" does not end the dictionary early', 60_000_000, ['%PDF-1.7\n', '7 0 obj << /ID [(a\\) >> stream)] /Size 60000000 >> stream\n', startxref(1)]],
    ['a trailer whose string holds ">>"', 30_000_000, ['%PDF-1.7\n', table(2, '/Info (>>) /Size 30000000'), startxref(1)]],
    ['the largest of the revisions chained by /Prev', 50_000_000, ['%PDF-1.7\n', table(4, '/Size 4'), (o) => `xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 50000000 /Prev ${pad(o[1]!)} >>\n`, startxref(2)]],
    ['a hybrid file: the table and the stream its /XRefStm names', 8_000_000, ['%PDF-1.7\n', '9 0 obj << /Type /XRef /Size 8000000 >> stream\n', (o) => table(10, `/Size 10 /XRefStm ${pad(o[1]!)}`), startxref(2)]],
    ['no startxref', null, ['%PDF-1.7\n1 0 obj << >> endobj\n']],
    ['startxref pointing past the end', null, ['%PDF-1.7\n', 'startxref\n99999999\n%%EOF\n']],
    ['startxref pointing at something else', null, ['%PDF-1.7\n', '1 0 obj', startxref(0)]],
  ])('%s → %s', (_what, expected, parts) => {
    const { read, size } = file(parts);
    expect(declaredObjects(read, size)?.declared ?? null).toBe(expected);
  });

  it('follows a /Prev loop once', () => {
    const { read, size } = file(['%PDF-1.7\n', (o) => `xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 3 /Prev ${pad(o[1]!)} >>\n`, startxref(1)]);
    expect(declaredObjects(read, size)).toEqual({ declared: 3, sections: 1, truncated: false });
  });

  it(`stops after ${MAX_SECTIONS} revisions and says so`, () => {
    const revisions = MAX_SECTIONS + 5;
    const parts: (string | ((o: number[]) => string))[] = ['%PDF-1.7\n', table(1, '/Size 1')];
    for (let i = 2; i <= revisions; i++) parts.push((o) => `xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 1 /Prev ${pad(o[i - 1]!)} >>\n`);
    parts.push(startxref(revisions));
    const { read, size } = file(parts);
    expect(declaredObjects(read, size)).toMatchObject({ sections: MAX_SECTIONS, truncated: true });
  });

  it('skips the rows of a long table by arithmetic, reading a few windows only', () => {
    const { read, size } = file(['%PDF-1.7\n', table(200_000, '/Size 200000'), startxref(1)]);
    let reads = 0;
    expect(declaredObjects((o, l) => (reads++, read(o, l)), size)?.declared).toBe(200_000);
    // The tail, the table's first window, the window after its 200,000 rows, the trailer.
    expect(reads).toBe(4);
  });
});
