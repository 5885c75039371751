import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getDocument, PDFDataRangeTransport } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_PAGES, pageTreeIndex, type ReadBytes } from '../../client/lib/pdf/pageTreeIndex';
import { writeManyPagesPdf } from '../support/fixtures/manyPagesPdf';
import { writePlanPdf } from '../support/fixtures/planPdf';

let dir: string;
const file = (name: string) => path.join(dir, name);
const PAGES = 1200;

/** Reads `name` as the viewer reads over HTTP, counting the bytes asked for. */
function reader(bytes: Uint8Array): { read: ReadBytes; asked: () => number } {
  let asked = 0;
  return {
    read: async (offset, length) => {
      asked += length;
      return bytes.subarray(offset, Math.min(bytes.length, offset + length));
    },
    asked: () => asked,
  };
}

/** The file with its index appended, written beside it; null when none was made. */
async function indexed(name: string): Promise<{ path: string; original: Buffer; index: Uint8Array } | null> {
  const original = fs.readFileSync(file(name));
  const index = await pageTreeIndex(reader(original).read, original.length);
  if (!index) return null;
  const out = file(`indexed-${name}`);
  fs.writeFileSync(out, Buffer.concat([original, index]));
  return { path: out, original, index };
}

/** Opens `bytes` with pdf.js through ranges (as the viewer does), counting the bytes it reads before the document and page `n` are ready. */
async function openCounting(bytes: Uint8Array, n: number): Promise<{ pages: number; read: number; text: string }> {
  let read = 0;
  class Ranges extends PDFDataRangeTransport {
    override requestDataRange(begin: number, end: number) {
      read += end - begin;
      setImmediate(() => this.onDataRange(begin, bytes.slice(begin, end)));
    }
  }
  const task = getDocument({ range: new Ranges(bytes.length, new Uint8Array(0)), length: bytes.length, rangeChunkSize: 65536, disableAutoFetch: true, disableStream: true, verbosity: 0 });
  try {
    const doc = await task.promise;
    const page = await doc.getPage(n);
    const text = (await page.getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join(' ');
    return { pages: doc.numPages, read, text };
  } finally {
    await task.destroy();
  }
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lajna-index-'));
  writeManyPagesPdf(file('flat.pdf'), { pages: PAGES, bytes: 12_000_000, marked: [1000] });
  writeManyPagesPdf(file('balanced.pdf'), { pages: PAGES, bytes: 2_000_000, tree: 'balanced' });
  writeManyPagesPdf(file('few.pdf'), { pages: MIN_PAGES - 1, bytes: 200_000 });
  writePlanPdf(file('plan.pdf'), { pages: 3, paths: 10, segments: 10, seed: 3, width: 595, height: 842 });
  // The same flat file with its objects packed in object streams and a cross-reference stream.
  execFileSync('qpdf', ['--object-streams=generate', file('flat.pdf'), file('packed.pdf')]);
  execFileSync('qpdf', ['--encrypt', '', 'owner', '256', '--', file('flat.pdf'), file('encrypted.pdf')]);
  // An incremental update after the flat file (a new /Info), as a signature or a form fill adds.
  const flat = fs.readFileSync(file('flat.pdf'));
  const prev = /startxref\s+(\d+)/.exec(flat.subarray(flat.length - 64).toString('latin1'))![1];
  const size = Number(/\/Size (\d+)/.exec(flat.subarray(flat.length - 200).toString('latin1'))![1]);
  const info = `${size} 0 obj\n<< /Title (Revised) >>\nendobj\n`;
  const at = flat.length;
  const update = `${info}xref\n${size} 1\n${String(at).padStart(10, '0')} 00000 n\r\ntrailer\n<< /Size ${size + 1} /Root 1 0 R /Info ${size} 0 R /Prev ${prev} >>\nstartxref\n${at + info.length}\n%%EOF\n`;
  fs.writeFileSync(file('revised.pdf'), Buffer.concat([flat, Buffer.from(update, 'latin1')]));
});
afterAll(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

describe('pageTreeIndex: an appended page-tree index for flat trees', () => {
  it('indexes a flat tree: qpdf finds no fault, poppler sees the same pages and text', async () => {
    const out = (await indexed('flat.pdf'))!;
    expect(out).not.toBeNull();
    // The file's own bytes come first, unchanged: only an incremental update follows.
    expect(fs.readFileSync(out.path).subarray(0, out.original.length).equals(out.original)).toBe(true);
    expect(out.index.length).toBeLessThan(PAGES * 20);
    expect(execFileSync('qpdf', ['--check', out.path]).toString()).toContain('No syntax or stream encoding errors');
    expect(execFileSync('pdfinfo', [out.path]).toString()).toMatch(new RegExp(`Pages:\\s+${PAGES}\\b`));
    for (const n of [1, 17, 1000, PAGES]) {
      expect(execFileSync('pdftotext', ['-f', String(n), '-l', String(n), out.path, '-']).toString()).toContain(`Page ${n} of ${PAGES}`);
    }
    expect(execFileSync('pdftotext', ['-f', '1000', '-l', '1000', out.path, '-']).toString()).toContain('Lajna-marker-1000');
  });

  it('lets pdf.js open it and reach page 1,000 reading a small part of the file, where the plain file is read whole', async () => {
    const out = (await indexed('flat.pdf'))!;
    const plain = await openCounting(new Uint8Array(out.original), 1000);
    const fast = await openCounting(new Uint8Array(fs.readFileSync(out.path)), 1000);
    expect(plain.pages).toBe(PAGES);
    expect(fast.pages).toBe(PAGES);
    expect(fast.text).toContain('Page 1000 of 1200 Lajna-marker-1000');
    expect(plain.read).toBeGreaterThan(out.original.length * 0.9);
    expect(fast.read).toBeLessThan(out.original.length * 0.1);
  });

  it('follows incremental updates (/Prev) and keeps the newest trailer', async () => {
    const out = (await indexed('revised.pdf'))!;
    expect(out).not.toBeNull();
    expect(execFileSync('qpdf', ['--check', out.path]).toString()).toContain('No syntax or stream encoding errors');
    expect(execFileSync('pdfinfo', [out.path]).toString()).toMatch(/Title:\s+Revised/);
    expect((await openCounting(new Uint8Array(fs.readFileSync(out.path)), PAGES)).text).toContain(`Page ${PAGES} of ${PAGES}`);
  });

  it.each([
    ['a balanced tree (pdf.js already finds pages fast)', 'balanced.pdf'],
    [`fewer than ${MIN_PAGES} pages`, 'few.pdf'],
    ['a small plan', 'plan.pdf'],
    ['objects in object streams, a cross-reference stream', 'packed.pdf'],
    ['an encrypted file', 'encrypted.pdf'],
    ['a real Debian PDF', '/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf'],
  ])('leaves %s as it is', async (_what, name) => {
    const bytes = fs.readFileSync(path.isAbsolute(name) ? name : file(name));
    expect(await pageTreeIndex(reader(bytes).read, bytes.length)).toBeNull();
  });

  it.each([
    ['a small plan', 'plan.pdf'],
    [`fewer than ${MIN_PAGES} pages`, 'few.pdf'],
  ])('decides on %s from a few kB, not the file (a weak line pays for every byte before the first page)', async (_what, name) => {
    const bytes = fs.readFileSync(file(name));
    const { read, asked } = reader(bytes);
    expect(await pageTreeIndex(read, bytes.length)).toBeNull();
    expect(asked()).toBeLessThan(32_768);
  });

  it.each([
    ['not a PDF', Buffer.from('hello, this is not a PDF at all\n')],
    ['a truncated file', () => fs.readFileSync(file('flat.pdf')).subarray(0, 500_000)],
    ['a startxref past the end', Buffer.from('%PDF-1.7\nstartxref\n99999999\n%%EOF\n')],
    ['a table that lies', Buffer.from('%PDF-1.7\nxref\n0 900000\n0000000000 65535 f \ntrailer << /Root 1 0 R /Size 3 >>\nstartxref\n9\n%%EOF\n')],
  ])('gives up on %s without throwing', async (_what, content) => {
    const bytes = typeof content === 'function' ? content() : content;
    expect(await pageTreeIndex(reader(bytes).read, bytes.length)).toBeNull();
  });
});
