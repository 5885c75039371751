/**
 * Renders minutes to PDF in Arabic (right to left) or French, with page numbers and the
 * content hash printed at the end.
 *
 * pdfkit shapes Arabic through fontkit (joining forms, ligatures, and it lays a right-to-left
 * run out in visual order, mirroring brackets) but it neither reorders a mixed line (Arabic
 * with Latin names, references and digits) nor keeps a multi-word run together: it lays text
 * out word by word, left to right. So lines are wrapped here, ordered by the Unicode
 * bidirectional algorithm (bidi-js), cut into runs of one direction and one font, and each
 * run is drawn at its own x: right-to-left runs are handed to fontkit whole, in logical
 * order (`features: []` makes pdfkit lay the run out in one piece).
 *
 * The font is Amiri from @fontsource (an npm dependency, no system font): its Arabic subset
 * for Arabic script, its Latin subsets for the rest. Amiri draws every letter form as its
 * own glyph, so the PDF's glyph-to-character map gives the text back (copy, search,
 * pdftotext); Noto Naskh was tried first and lost letters there (dots drawn as separate,
 * unmapped glyphs on shared dotless bases).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import zlib from 'node:zlib';
import bidiFactory from 'bidi-js';
import PDFDocument from 'pdfkit';
import { MUNICIPAL_TIME_ZONE } from '../../protocol/enums';
import type { MinutesContent, NamedBallot, SignatureRecord, VoteRecord } from '../../protocol/minutes';
import type { BallotChoice, Opinion } from '../../protocol/voting';
import { minutesHash } from '../domain/minutes';

export type MinutesLanguage = 'ar' | 'fr';

const bidi = bidiFactory();
const require = createRequire(import.meta.url);
const FONT_DIR = path.join(path.dirname(require.resolve('@fontsource/amiri/package.json')), 'files');

/**
 * The TrueType bytes inside a WOFF 1.0 file. fontkit reads WOFF but inflates a table on
 * every access, which made one page take seconds; inflating once here (zlib) does not.
 */
export function sfntFromWoff(woff: Buffer): Buffer {
  if (woff.toString('latin1', 0, 4) !== 'wOFF') throw new Error('not a WOFF 1.0 font');
  const numTables = woff.readUInt16BE(12);
  const tables = Array.from({ length: numTables }, (_, i) => {
    const at = 44 + i * 20;
    const offset = woff.readUInt32BE(at + 4), compLength = woff.readUInt32BE(at + 8), origLength = woff.readUInt32BE(at + 12);
    const raw = woff.subarray(offset, offset + compLength);
    return { tag: woff.subarray(at, at + 4), checksum: woff.readUInt32BE(at + 16), data: compLength < origLength ? zlib.inflateSync(raw) : raw };
  });
  const pad = (n: number) => (n + 3) & ~3;
  const out = Buffer.alloc(12 + 16 * numTables + tables.reduce((sum, t) => sum + pad(t.data.length), 0));
  const entrySelector = Math.floor(Math.log2(numTables));
  out.writeUInt32BE(woff.readUInt32BE(4), 0);
  out.writeUInt16BE(numTables, 4);
  out.writeUInt16BE(16 * 2 ** entrySelector, 6);
  out.writeUInt16BE(entrySelector, 8);
  out.writeUInt16BE(16 * numTables - 16 * 2 ** entrySelector, 10);
  let offset = 12 + 16 * numTables;
  for (const [i, t] of tables.entries()) {
    t.tag.copy(out, 12 + 16 * i);
    out.writeUInt32BE(t.checksum, 12 + 16 * i + 4);
    out.writeUInt32BE(offset, 12 + 16 * i + 8);
    out.writeUInt32BE(t.data.length, 12 + 16 * i + 12);
    t.data.copy(out, offset);
    offset += pad(t.data.length);
  }
  return out;
}

const fonts = new Map<string, Buffer>();
function fontBytes(subset: string, weight: 400 | 700): Buffer {
  const file = path.join(FONT_DIR, `amiri-${subset}-${weight}-normal.woff`);
  let bytes = fonts.get(file);
  if (!bytes) fonts.set(file, (bytes = sfntFromWoff(fs.readFileSync(file))));
  return bytes;
}

type FontKey = 'arabic' | 'latin' | 'latinExt';
const FONT_SUBSETS: Record<FontKey, string> = { arabic: 'arabic', latin: 'latin', latinExt: 'latin-ext' };

/** Arabic script letters and presentation forms: what makes fontkit lay a run out right to left. */
const ARABIC_LETTER = /[\u0620-\u064A\u066E-\u06D3\u06D5\u06EE-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/;
const ARABIC_SCRIPT = /[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/;
const LATIN_EXT = /[\u0100-\u024F\u1E00-\u1EFF]/;

interface Run {
  text: string;
  font: FontKey;
  width: number;
}

const LABELS = {
  fr: {
    title: 'Procès-verbal de la séance du',
    mode: { remote: 'Séance à distance', hybrid: 'Séance hybride' },
    location: 'Lieu',
    attendance: 'Présences',
    seat: { chair: 'Président', voting: 'Membre votant', consultative: 'Membre consultatif', secretary: 'Secrétaire' },
    absent: 'absent',
    modeOf: { video: 'vidéo', audio: 'audio seul' },
    quorum: (present: number, total: number, required: number, met: boolean) =>
      `Quorum : ${present} membres votants présents sur ${total} (requis : ${required}) — ${met ? 'atteint' : 'non atteint'}`,
    item: 'Point',
    documents: 'Documents présentés',
    recusals: 'Récusations',
    vote: 'Vote',
    ballots: 'Votes nominatifs',
    tally: (t: VoteRecord['tally']) =>
      `Décompte : favorable ${t.favourable}, favorable sous conditions ${t.favourable_with_conditions}, défavorable ${t.unfavourable}, ajournement ${t.deferred}, abstention ${t.abstain}`,
    choice: { favourable: 'favorable', favourable_with_conditions: 'favorable sous conditions', unfavourable: 'défavorable', deferred: 'ajournement', abstain: 'abstention' } satisfies Record<BallotChoice, string>,
    decidedBy: { majority: 'à la majorité', casting_vote: 'voix prépondérante du président', veto: 'veto du représentant du ministère', no_majority: 'faute de majorité' },
    quorumLost: 'Vote sans effet : quorum perdu avant la clôture',
    outcome: 'Résultat',
    opinion: 'Avis de la commission',
    opinions: { favourable: 'Avis favorable', favourable_with_conditions: 'Avis favorable sous conditions', unfavourable: 'Avis défavorable', deferred: 'Dossier ajourné' } satisfies Record<Opinion, string>,
    noOpinion: 'Aucun avis',
    conditions: 'Conditions',
    reasons: 'Motifs',
    notes: 'Observations',
    remarks: 'Observations générales',
    signatures: 'Signatures',
    signer: { secretary: 'La secrétaire', chair: 'Le président' },
    signedOn: 'signé le',
    hash: 'Empreinte SHA-256 du contenu',
    page: (n: number, of: number) => `Page ${n} / ${of}`,
  },
  ar: {
    title: 'محضر جلسة',
    mode: { remote: 'جلسة عن بعد', hybrid: 'جلسة مختلطة' },
    location: 'المكان',
    attendance: 'الحضور',
    seat: { chair: 'الرئيس', voting: 'عضو له حق التصويت', consultative: 'عضو استشاري', secretary: 'الكاتب' },
    absent: 'غائب',
    modeOf: { video: 'فيديو', audio: 'صوت فقط' },
    quorum: (present: number, total: number, required: number, met: boolean) =>
      `النصاب: ${present} من ${total} أعضاء لهم حق التصويت حاضرون (المطلوب: ${required}) — ${met ? 'متوفر' : 'غير متوفر'}`,
    item: 'النقطة',
    documents: 'الوثائق المعروضة',
    recusals: 'حالات التجريح',
    vote: 'التصويت',
    ballots: 'التصويت الاسمي',
    tally: (t: VoteRecord['tally']) =>
      `النتيجة: موافقة ${t.favourable}، موافقة بشروط ${t.favourable_with_conditions}، رفض ${t.unfavourable}، تأجيل ${t.deferred}، احتفاظ ${t.abstain}`,
    choice: { favourable: 'موافقة', favourable_with_conditions: 'موافقة بشروط', unfavourable: 'رفض', deferred: 'تأجيل', abstain: 'احتفاظ' } satisfies Record<BallotChoice, string>,
    decidedBy: { majority: 'بالأغلبية', casting_vote: 'بصوت الرئيس المرجح', veto: 'باعتراض ممثل الوزارة', no_majority: 'لعدم توفر الأغلبية' },
    quorumLost: 'تصويت ملغى: فقدان النصاب قبل الختم',
    outcome: 'النتيجة',
    opinion: 'رأي اللجنة',
    opinions: { favourable: 'رأي بالموافقة', favourable_with_conditions: 'رأي بالموافقة بشروط', unfavourable: 'رأي بالرفض', deferred: 'تأجيل الملف' } satisfies Record<Opinion, string>,
    noOpinion: 'لا رأي',
    conditions: 'الشروط',
    reasons: 'الأسباب',
    notes: 'ملاحظات',
    remarks: 'ملاحظات عامة',
    signatures: 'الإمضاءات',
    signer: { secretary: 'الكاتب', chair: 'الرئيس' },
    signedOn: 'أمضى بتاريخ',
    hash: 'البصمة SHA-256 للمحتوى',
    page: (n: number, of: number) => `صفحة ${n} من ${of}`,
  },
} as const;

// Latin digits and dd/MM/yyyy in both languages, in Tunisian time.
const dateFormat = new Intl.DateTimeFormat('fr-FR', { timeZone: MUNICIPAL_TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric' });
const timeFormat = new Intl.DateTimeFormat('fr-FR', { timeZone: MUNICIPAL_TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const day = (iso: string) => dateFormat.format(new Date(iso));
const time = (iso: string) => timeFormat.format(new Date(iso));

export interface MinutesPdfOptions {
  /** When the minutes were finalized: the PDF's creation date, so the same record gives the same bytes. */
  finalizedAt?: string;
  /** Signatures to print, with the signers' names. */
  signatures?: (SignatureRecord & { nameAr: string; nameFr: string })[];
}

/** Lays out paragraphs of mixed-direction text, line by line, on a pdfkit document. */
class MinutesTypesetter {
  private y: number;

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly direction: 'rtl' | 'ltr',
  ) {
    for (const [key, subset] of Object.entries(FONT_SUBSETS)) {
      doc.registerFont(key, fontBytes(subset, 400));
      doc.registerFont(`${key}-bold`, fontBytes(subset, 700));
    }
    this.y = doc.page.margins.top;
  }

  private get left() { return this.doc.page.margins.left; }
  private get width() { return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right; }

  /** The font for a character; spaces and punctuation keep the font of what precedes them. */
  private fontsOf(text: string): FontKey[] {
    const fonts: FontKey[] = [];
    let current: FontKey = this.direction === 'rtl' ? 'arabic' : 'latin';
    for (const ch of text) {
      if (ARABIC_SCRIPT.test(ch)) current = 'arabic';
      else if (LATIN_EXT.test(ch)) current = 'latinExt';
      else if (ch !== ' ') current = 'latin';
      // One entry per UTF-16 unit, to index like bidi-js.
      for (let i = 0; i < ch.length; i++) fonts.push(current);
    }
    return fonts;
  }

  // Wrapping measures the same runs many times; shaping them is the slow part.
  private readonly widths = new Map<string, number>();

  private measure(text: string, font: FontKey, size: number, bold: boolean): number {
    const key = `${font}|${bold}|${size}|${text}`;
    let width = this.widths.get(key);
    if (width === undefined) {
      width = this.doc.font(bold ? `${font}-bold` : font).fontSize(size).widthOfString(text, { features: [] });
      this.widths.set(key, width);
    }
    return width;
  }

  /** One line (logical [start, end) of text) as runs in visual order, left to right. */
  private visualRuns(text: string, levels: ReturnType<typeof bidi.getEmbeddingLevels>, start: number, end: number, fonts: FontKey[], size: number, bold: boolean): Run[] {
    // bidi-js returns the whole string's indices, reordered only within the line.
    const order = bidi.getReorderedIndices(text, levels, start, end - 1).slice(start, end);
    const runs: { indices: number[]; font: FontKey; rtl: boolean }[] = [];
    for (const i of order) {
      const rtl = (levels.levels[i]! & 1) === 1;
      const last = runs.at(-1);
      const prev = last?.indices.at(-1);
      // Contiguous in logical order in the direction of the run, same font, same direction.
      if (last && last.font === fonts[i] && last.rtl === rtl && prev === (rtl ? i + 1 : i - 1)) last.indices.push(i);
      else runs.push({ indices: [i], font: fonts[i]!, rtl });
    }
    return runs.map(({ indices, font, rtl }) => {
      const logical = indices.slice().sort((a, b) => a - b).map((i) => text[i]).join('');
      let runText: string;
      if (rtl && ARABIC_LETTER.test(logical)) runText = logical; // fontkit orders (and mirrors) it
      else if (rtl) runText = indices.map((i) => bidi.getMirroredCharacter(text[i]!) ?? text[i]).join('');
      else runText = logical;
      return { text: runText, font, width: this.measure(runText, font, size, bold) };
    });
  }

  /** Space needed before drawing more; starts a new page if the rest does not fit. */
  private room(height: number) {
    if (this.y + height > this.doc.page.height - this.doc.page.margins.bottom) {
      this.doc.addPage();
      this.y = this.doc.page.margins.top;
    }
  }

  /** A paragraph, wrapped to the page width, aligned to the start side of the document. */
  paragraph(text: string, opts: { size?: number; bold?: boolean; indent?: number; gapAfter?: number; color?: string } = {}) {
    const size = opts.size ?? 10.5;
    const bold = opts.bold ?? false;
    const indent = opts.indent ?? 0;
    const lineHeight = size * 1.55;
    const maxWidth = this.width - indent;
    const clean = text.replace(/\s+/g, ' ').trim();
    if (!clean) return;
    const levels = bidi.getEmbeddingLevels(clean, this.direction);
    const fonts = this.fontsOf(clean);
    const widthOf = (start: number, end: number) =>
      this.visualRuns(clean, levels, start, end, fonts, size, bold).reduce((sum, r) => sum + r.width, 0);
    // Greedy wrap at spaces, in logical order; a word longer than the line is cut.
    let start = 0;
    while (start < clean.length) {
      let end = clean.length;
      if (widthOf(start, end) > maxWidth) {
        let fit = start;
        for (let i = clean.indexOf(' ', start); i !== -1 && widthOf(start, i) <= maxWidth; i = clean.indexOf(' ', i + 1)) fit = i;
        if (fit === start) {
          fit = start + 1;
          while (fit < clean.length && widthOf(start, fit + 1) <= maxWidth) fit++;
        }
        end = fit;
      }
      this.line(clean, levels, start, end, fonts, { size, bold, indent, lineHeight, color: opts.color ?? '#000' });
      start = clean[end] === ' ' ? end + 1 : end;
    }
    this.y += opts.gapAfter ?? size * 0.3;
  }

  private line(text: string, levels: ReturnType<typeof bidi.getEmbeddingLevels>, start: number, end: number, fonts: FontKey[],
    o: { size: number; bold: boolean; indent: number; lineHeight: number; color: string }) {
    this.room(o.lineHeight);
    const runs = this.visualRuns(text, levels, start, end, fonts, o.size, o.bold);
    const total = runs.reduce((sum, r) => sum + r.width, 0);
    const x = this.direction === 'rtl' ? this.left + this.width - o.indent - total : this.left + o.indent;
    this.drawRuns(runs, x, this.y, o.size, o.bold, o.color);
    this.y += o.lineHeight;
  }

  private drawRuns(runs: Run[], x: number, y: number, size: number, bold: boolean, color: string) {
    for (const run of runs) {
      this.doc.font(bold ? `${run.font}-bold` : run.font).fontSize(size).fillColor(color)
        .text(run.text, x, y, { lineBreak: false, features: [] });
      x += run.width;
    }
  }

  /** A single line centred at `y`, outside the flow (page numbers). */
  centred(text: string, y: number, size: number) {
    const levels = bidi.getEmbeddingLevels(text, this.direction);
    const runs = this.visualRuns(text, levels, 0, text.length, this.fontsOf(text), size, false);
    const total = runs.reduce((sum, r) => sum + r.width, 0);
    this.drawRuns(runs, this.left + (this.width - total) / 2, y, size, false, '#444');
  }

  gap(points: number) {
    this.y += points;
  }
}

/** The PDF of the minutes in one language. Same content and options → same bytes. */
export function renderMinutesPdf(content: MinutesContent, language: MinutesLanguage, options: MinutesPdfOptions = {}): Promise<Buffer> {
  const L = LABELS[language];
  const hash = minutesHash(content);
  const ar = language === 'ar';
  const name = (p: { nameAr: string; nameFr: string }) => (ar ? p.nameAr : `${p.nameFr} (${p.nameAr})`);
  const created = new Date(options.finalizedAt ?? content.session.startsAt);
  const doc = new PDFDocument({
    size: 'A4', margin: 56, bufferPages: true, lang: language,
    info: { Title: `${L.title} ${day(content.session.startsAt)} — ${ar ? content.committee.nameAr : content.committee.nameFr}`, Producer: 'Lajna', Creator: 'Lajna', CreationDate: created, ModDate: created },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject);
  });
  const t = new MinutesTypesetter(doc, ar ? 'rtl' : 'ltr');

  t.paragraph(ar ? content.municipality.nameAr : content.municipality.nameFr, { size: 12, bold: true });
  t.paragraph(ar ? content.committee.nameAr : content.committee.nameFr, { size: 12, bold: true });
  t.paragraph(`${L.title} ${day(content.session.startsAt)} — ${time(content.session.startsAt)}`, { size: 15, bold: true, gapAfter: 6 });
  t.paragraph(`${L.mode[content.session.mode]}${content.session.location ? ` — ${L.location}: ${content.session.location}` : ''}`);
  t.paragraph(L.quorum(content.quorum.present, content.quorum.votingMembers, content.quorum.required, content.quorum.met), { gapAfter: 8 });

  t.paragraph(L.attendance, { size: 12.5, bold: true });
  for (const a of content.attendance) {
    const stretches = a.stretches.length
      ? a.stretches.map((s) => `${time(s.joinedAt)}–${s.leftAt ? time(s.leftAt) : '…'} (${L.modeOf[s.mode]})`).join(ar ? '، ' : ', ')
      : L.absent;
    t.paragraph(`${name(a)} — ${L.seat[a.seat]}${ar ? '، ' : ', '}${ar ? a.titleAr : a.titleFr}: ${stretches}`, { indent: 12 });
  }
  t.gap(8);

  const voter = (b: NamedBallot) => `${name(b)}: ${L.choice[b.choice]}`;
  for (const item of content.items) {
    t.paragraph(`${L.item} ${item.position} — ${item.dossierReference} — ${ar ? item.dossierTypeAr : item.dossierTypeFr} — ${item.address}`, { size: 12.5, bold: true });
    if (item.documents.length) {
      t.paragraph(`${L.documents}:`, { bold: true, indent: 12 });
      for (const d of item.documents) t.paragraph(`${d.fileName} (v${d.version}) sha256 ${d.sha256}`, { indent: 24, size: 8.5 });
    }
    if (item.recusals.length) {
      t.paragraph(`${L.recusals}: ${item.recusals.map((r) => `${name(r)}${r.reason ? ` — ${r.reason}` : ''}`).join(ar ? '؛ ' : '; ')}`, { indent: 12 });
    }
    for (const [i, v] of item.votes.entries()) {
      t.paragraph(`${L.vote} ${i + 1}: ${v.question} (${time(v.openedAt)}–${time(v.closedAt)})`, { bold: true, indent: 12 });
      t.paragraph(L.quorum(v.quorumAtClose.present, v.quorumAtClose.votingMembers, v.quorumAtClose.required, v.quorumAtClose.met), { indent: 24 });
      t.paragraph(`${L.ballots}: ${v.ballots.map(voter).join(ar ? '؛ ' : '; ')}`, { indent: 24 });
      t.paragraph(L.tally(v.tally), { indent: 24 });
      t.paragraph(`${L.outcome}: ${v.outcome.valid ? `${L.opinions[v.outcome.opinion]} (${L.decidedBy[v.outcome.decidedBy]})` : L.quorumLost}`, { indent: 24 });
    }
    t.paragraph(`${L.opinion}: ${item.opinion ? L.opinions[item.opinion] : L.noOpinion}`, { bold: true, indent: 12 });
    if (item.conditions) t.paragraph(`${L.conditions}: ${item.conditions}`, { indent: 12 });
    if (item.reasons) t.paragraph(`${L.reasons}: ${item.reasons}`, { indent: 12 });
    if (item.notes) t.paragraph(`${L.notes}: ${item.notes}`, { indent: 12 });
    t.gap(8);
  }
  if (content.remarks) {
    t.paragraph(L.remarks, { size: 12.5, bold: true });
    t.paragraph(content.remarks, { gapAfter: 8 });
  }
  if (options.signatures?.length) {
    t.paragraph(L.signatures, { size: 12.5, bold: true });
    for (const s of options.signatures) t.paragraph(`${L.signer[s.role]}: ${name(s)} — ${L.signedOn} ${day(s.signedAt)} ${time(s.signedAt)}`, { indent: 12 });
    t.gap(8);
  }
  t.paragraph(`${L.hash}:`, { bold: true, size: 9.5 });
  // The hash alone on its line, left to right, so it is copied and found as one word.
  t.paragraph(hash, { size: 9.5 });

  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    const bottom = doc.page.margins.bottom;
    // Writing inside the bottom margin must not start a new page.
    doc.page.margins.bottom = 0;
    t.centred(L.page(i + 1, range.count), doc.page.height - 36, 9);
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
