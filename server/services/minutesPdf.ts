/**
 * The minutes as a PDF in Arabic (right to left) or French: the session, attendance,
 * quorum, each agenda item with the documents shown, recusals, votes with named ballots,
 * outcome and opinion, the secretary's text, signatures, page numbers and the content
 * hash at the end. Typesetting (fonts, bidi, wrapping) is server/pdf's; the words are the
 * committee's vocabulary (protocol/vocabulary.ts); what people typed is isolated in its own
 * direction, so French conditions keep their final period in the Arabic minutes.
 */
import { formatDay, formatTime } from '../../protocol/municipalTime';
import type { MinutesContent, MinutesMarkup, NamedBallot, ShownDocument, SignerRole } from '../../protocol/minutes';
import { BALLOT_CHOICES } from '../../protocol/voting';
import { fill, VOCABULARY, type Vocabulary } from '../../protocol/vocabulary';
import { minutesHash, SIGNING_ORDER } from '../domain/minutes';
import { isolate, Typesetter } from '../pdf';
import { signatureSlots } from '../signing/slots';
import type { SignatureSlot } from '../signing/pdfSigner';

export type MinutesLanguage = 'ar' | 'fr';

/** What only the PDF says; the rest is the vocabulary's. */
const LABELS = {
  fr: {
    title: 'Procès-verbal de la séance du',
    session: 'Séance',
    location: 'Lieu',
    item: 'Point',
    vote: 'Vote',
    notes: 'Observations',
    chat: 'Annexe — messages écrits pendant la séance',
    chatExcluded: 'message retiré de l’annexe par le secrétariat',
    signer: { secretary: 'La secrétaire', chair: 'Le président' },
    page: (n: number, of: number) => `Page ${n} / ${of}`,
    comma: ', ',
    semicolon: '; ',
  },
  ar: {
    title: 'محضر جلسة',
    session: 'جلسة',
    location: 'المكان',
    item: 'النقطة',
    vote: 'التصويت',
    notes: 'ملاحظات',
    chat: 'ملحق — الرسائل المكتوبة أثناء الجلسة',
    chatExcluded: 'رسالة مستبعدة من الملحق',
    signer: { secretary: 'الكاتب', chair: 'الرئيس' },
    page: (n: number, of: number) => `صفحة ${n} من ${of}`,
    comma: '، ',
    semicolon: '؛ ',
  },
} as const;

/** A page the opinion's conditions cite, rendered with its markups (markupRender), printed under the item. */
export interface MarkedPageImage {
  position: number;
  documentSha256: string;
  page: number;
  numbers: number[];
  png: Buffer;
  /** The image's size in pixels. */
  width: number;
  height: number;
}

export interface MinutesPdfOptions {
  /** When the minutes were finalized: the PDF's creation date, so the same record gives the same bytes. */
  finalizedAt?: string;
  /** The cited marked-up pages, rendered before the layout (the same images give the same bytes). */
  pages?: readonly MarkedPageImage[];
}

/** A markup as the minutes list it: number, kind, measurement, where, by whom. */
function markupLine(m: MinutesMarkup, W: Vocabulary, ar: boolean): string {
  const measured = m.measurement ? ` ${m.measurement.value.toFixed(2)} ${m.measurement.unit === 'm' ? 'm' : 'm²'}` : '';
  const where = `${isolate(m.fileName)} ${W.minutes.page} ${m.page}`;
  return `#${m.number} ${W.markupKind[m.kind]}${measured} — ${where} — ${isolate(ar ? m.authorName.ar : m.authorName.fr)}${m.cited ? ` (${W.minutes.cited})` : ''}`;
}

/** A document cited by what it is (the checklist item), then by its file name and version. */
function citation(d: ShownDocument, ar: boolean): string {
  const label = (ar ? d.labelAr : d.labelFr) || d.itemCode;
  return `${label}: ${isolate(d.fileName)} (v${d.version})`;
}

/**
 * The PDF of the minutes in one language and where each signer's visible signature goes
 * (the boxes left empty at its end, filled by their PAdES signatures' appearances).
 */
export async function layoutMinutesPdf(content: MinutesContent, language: MinutesLanguage, options: MinutesPdfOptions = {}): Promise<{ pdf: Buffer; slots: Record<SignerRole, SignatureSlot> }> {
  const L = LABELS[language];
  const W = VOCABULARY[language];
  const M = W.minutes;
  const hash = minutesHash(content);
  const ar = language === 'ar';
  // A person in the document's language; in French the Arabic name too, isolated.
  const name = (p: { nameAr: string; nameFr: string }) => (ar ? isolate(p.nameAr) : `${isolate(p.nameFr)} (${isolate(p.nameAr)})`);
  const quorum = (q: MinutesContent['quorum']) =>
    `${fill(M.quorum, { present: q.present, total: q.votingMembers, required: q.required })} — ${q.met ? M.quorumMet : M.quorumNotMet}`;
  const startsAt = content.session.startsAt;
  const t = Typesetter.create({
    lang: language, direction: ar ? 'rtl' : 'ltr', created: new Date(options.finalizedAt ?? startsAt),
    title: `${L.title} ${formatDay(startsAt)} — ${ar ? content.committee.nameAr : content.committee.nameFr}`,
  });

  t.paragraph(ar ? content.municipality.nameAr : content.municipality.nameFr, { size: 12, bold: true });
  t.paragraph(ar ? content.committee.nameAr : content.committee.nameFr, { size: 12, bold: true });
  t.paragraph(`${L.title} ${formatDay(startsAt)} — ${formatTime(startsAt)}`, { size: 15, bold: true, gapAfter: 6 });
  t.paragraph(`${L.session} ${W.sessionMode[content.session.mode]}${content.session.location ? ` — ${L.location}: ${isolate(content.session.location)}` : ''}`);
  t.paragraph(quorum(content.quorum), { gapAfter: 8 });

  t.paragraph(M.attendance, { size: 12.5, bold: true });
  for (const a of content.attendance) {
    const stretches = a.stretches.length
      ? a.stretches.map((s) => `${formatTime(s.joinedAt)}–${s.leftAt ? formatTime(s.leftAt) : '…'} (${W.attendance[s.mode]})`).join(L.comma)
      : M.absent;
    t.paragraph(`${name(a)} — ${W.seat[a.seat]}${L.comma}${isolate(ar ? a.titleAr : a.titleFr)}: ${stretches}`, { indent: 12 });
  }
  t.gap(8);

  const voter = (b: NamedBallot) => `${name(b)}: ${W.ballot[b.choice]}`;
  for (const item of content.items) {
    t.paragraph(`${L.item} ${item.position} — ${item.dossierReference} — ${ar ? item.dossierTypeAr : item.dossierTypeFr} — ${isolate(item.address)}`, { size: 12.5, bold: true });
    if (item.documents.length) {
      t.paragraph(`${M.documents}:`, { bold: true, indent: 12 });
      for (const d of item.documents) {
        t.paragraph(citation(d, ar), { indent: 24, gapAfter: 0 });
        t.paragraph(`sha256 ${d.sha256}`, { indent: 24, size: 8.5, direction: 'ltr' });
      }
    }
    if (item.recusals.length) {
      t.paragraph(`${M.recusals}: ${item.recusals.map((r) => `${name(r)}${r.reason ? ` — ${isolate(r.reason)}` : ''}`).join(L.semicolon)}`, { indent: 12 });
    }
    if (item.hearings?.length) {
      t.paragraph(`${M.heard}: ${item.hearings.map((h) => `${isolate(h.name)} (${formatTime(h.admittedAt)}–${h.leftAt ? formatTime(h.leftAt) : '…'})`).join(L.semicolon)}`, { indent: 12 });
    }
    for (const [i, v] of item.votes.entries()) {
      t.paragraph(`${L.vote} ${i + 1}: ${isolate(v.question)} (${formatTime(v.openedAt)}–${formatTime(v.closedAt)})`, { bold: true, indent: 12 });
      t.paragraph(quorum(v.quorumAtClose), { indent: 24 });
      t.paragraph(`${M.ballots}: ${v.ballots.map(voter).join(L.semicolon)}`, { indent: 24 });
      t.paragraph(`${M.tally}: ${BALLOT_CHOICES.map((c) => `${W.ballot[c]} ${v.tally[c]}`).join(L.comma)}`, { indent: 24 });
      t.paragraph(`${M.outcome}: ${v.outcome.valid ? `${W.opinion[v.outcome.opinion]} (${W.decidedBy[v.outcome.decidedBy]})` : W.quorumLost}`, { indent: 24 });
    }
    if (item.markups?.length) {
      t.paragraph(`${M.markups}:`, { bold: true, indent: 12 });
      for (const m of item.markups) t.paragraph(markupLine(m, W, ar), { indent: 24 });
    }
    t.paragraph(`${M.opinion}: ${item.opinion ? W.opinion[item.opinion] : M.noOpinion}`, { bold: true, indent: 12 });
    if (item.conditions) t.paragraph(`${M.conditions}: ${isolate(item.conditions)}`, { indent: 12 });
    if (item.reasons) t.paragraph(`${M.reasons}: ${isolate(item.reasons)}`, { indent: 12 });
    if (item.notes) t.paragraph(`${L.notes}: ${isolate(item.notes)}`, { indent: 12 });
    for (const p of options.pages?.filter((x) => x.position === item.position) ?? []) pageImage(t, p, item.markups ?? [], M);
    t.gap(8);
  }
  if (content.remarks) {
    t.paragraph(M.remarks, { size: 12.5, bold: true });
    t.paragraph(isolate(content.remarks), { gapAfter: 8 });
  }
  if (content.chat?.length) {
    t.paragraph(L.chat, { size: 12.5, bold: true });
    for (const m of content.chat) {
      const said = m.excluded ? `${L.chatExcluded}: ${isolate(m.excluded.reason)}` : isolate(m.text);
      t.paragraph(`${formatTime(m.sentAt)} ${name(m)}: ${said}`, { indent: 12 });
    }
    t.gap(8);
  }
  t.paragraph(`${M.hash}:`, { bold: true, size: 9.5 });
  // The hash alone on its line, left to right, so it is copied and found as one word.
  t.paragraph(hash, { size: 9.5, direction: 'ltr' });
  const slots = signatureSlots(t, M.signatures, SIGNING_ORDER.map((role) => [role, L.signer[role]]));

  t.pageNumbers(L.page);
  return { pdf: await t.finish(), slots };
}

/** A cited marked-up page, scaled to fit the width and at most half a page high, with its caption. */
function pageImage(t: Typesetter, p: MarkedPageImage, markups: readonly MinutesMarkup[], M: Vocabulary['minutes']): void {
  const scale = Math.min(t.width / p.width, (t.doc.page.height / 2) / p.height);
  const [w, h] = [p.width * scale, p.height * scale];
  t.ensure(h + 30);
  t.doc.image(p.png, t.left + (t.width - w) / 2, t.y, { width: w, height: h });
  t.gap(h + 4);
  const file = markups.find((m) => m.documentSha256 === p.documentSha256)?.fileName ?? '';
  t.paragraph(fill(M.citedPage, { file: isolate(file), sha: p.documentSha256.slice(0, 12), page: p.page, numbers: p.numbers.join(', ') }), { size: 9, align: 'center' });
}

/** The PDF of the minutes in one language. Same content and options → same bytes. */
export async function renderMinutesPdf(content: MinutesContent, language: MinutesLanguage, options: MinutesPdfOptions = {}): Promise<Buffer> {
  return (await layoutMinutesPdf(content, language, options)).pdf;
}
