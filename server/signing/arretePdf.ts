/**
 * The arrêté (the municipality president's decision on a building permit) as a PDF in Arabic
 * or French, from the record: the dossier's reference, applicant, address and parcel, the
 * committee's opinion with its conditions and reasons, the documents it examined by sha256,
 * the decision and, for a permit, its validity; a box for the president's signature at the end.
 */
import { formatDay } from '../../protocol/municipalTime';
import type { ShownDocumentRecord } from '../../protocol/opinions';
import { VOCABULARY } from '../../protocol/vocabulary';
import type { Opinion } from '../../protocol/voting';
import { permitValidity } from '../domain/permitValidity';
import { isolate, Typesetter } from '../pdf';
import type { SignatureSlot } from './pdfSigner';
import { signatureSlots } from './slots';

export interface ArreteContent {
  municipality: { nameAr: string; nameFr: string };
  reference: string;
  applicant: { nameAr: string; nameFr: string };
  address: string;
  parcelRef: string;
  opinion: { opinion: Opinion; conditions: string; reasons: string; givenAt: string; documents: ShownDocumentRecord[] };
  outcome: 'granted' | 'refused';
  arreteNumber: string;
  /** yyyy-mm-dd. */
  signedOn: string;
  notes: string;
}

const WORDS = {
  fr: {
    title: (n: string, d: string) => `Arrêté n° ${n} du ${d}`,
    object: { granted: 'portant octroi du permis de bâtir', refused: 'portant refus du permis de bâtir' },
    president: 'Le président de la commune',
    seen: 'Vu le dossier',
    applicant: 'Demandeur',
    address: 'Adresse',
    parcel: 'Parcelle',
    opinionOn: (d: string) => `Vu l’avis de la commission technique du ${d}`,
    conditions: 'Conditions',
    reasons: 'Motifs',
    documents: 'Documents examinés',
    decides: 'Arrête :',
    granted: (ref: string) => `Article 1 — Le permis de bâtir est accordé pour le dossier ${ref}, aux conditions de l’avis ci-dessus.`,
    refused: (ref: string) => `Article 1 — Le permis de bâtir est refusé pour le dossier ${ref}.`,
    validity: (until: string, by: string) => `Article 2 — Le permis est valable trois ans, jusqu’au ${until}. Sa prorogation, une fois, doit être demandée au plus tard le ${by}.`,
    notes: 'Observations',
    signatures: 'Signature',
  },
  ar: {
    title: (n: string, d: string) => `قرار عدد ${n} بتاريخ ${d}`,
    object: { granted: 'يتعلق بمنح رخصة البناء', refused: 'يتعلق برفض رخصة البناء' },
    president: 'رئيس البلدية',
    seen: 'بعد الاطلاع على الملف',
    applicant: 'طالب الرخصة',
    address: 'العنوان',
    parcel: 'القطعة',
    opinionOn: (d: string) => `وبعد الاطلاع على رأي اللجنة الفنية بتاريخ ${d}`,
    conditions: 'الشروط',
    reasons: 'الأسباب',
    documents: 'الوثائق المدروسة',
    decides: 'قرر ما يلي:',
    granted: (ref: string) => `الفصل الأول — تُمنح رخصة البناء للملف ${ref} وفق شروط الرأي المذكور أعلاه.`,
    refused: (ref: string) => `الفصل الأول — تُرفض رخصة البناء للملف ${ref}.`,
    validity: (until: string, by: string) => `الفصل الثاني — الرخصة صالحة لمدة ثلاث سنوات إلى غاية ${until}. يُطلب تمديدها، مرة واحدة، في أجل أقصاه ${by}.`,
    notes: 'ملاحظات',
    signatures: 'الإمضاء',
  },
} as const;

/** The arrêté in one language and where the president's signature goes. Same record → same bytes. */
export async function renderArretePdf(a: ArreteContent, language: 'ar' | 'fr'): Promise<{ pdf: Buffer; slot: SignatureSlot }> {
  const W = WORDS[language];
  const ar = language === 'ar';
  const name = (p: { nameAr: string; nameFr: string }) => (ar ? isolate(p.nameAr) : `${isolate(p.nameFr)} (${isolate(p.nameAr)})`);
  const day = formatDay(a.signedOn);
  const t = Typesetter.create({ lang: language, direction: ar ? 'rtl' : 'ltr', created: new Date(`${a.signedOn}T00:00:00Z`), title: `${W.title(a.arreteNumber, day)} — ${a.reference}` });
  t.paragraph(ar ? a.municipality.nameAr : a.municipality.nameFr, { size: 12, bold: true });
  t.paragraph(W.title(isolate(a.arreteNumber), day), { size: 15, bold: true });
  t.paragraph(W.object[a.outcome], { size: 12, gapAfter: 10 });
  t.paragraph(`${W.president},`, { bold: true });
  t.paragraph(`${W.seen} ${a.reference}:`, { gapAfter: 2 });
  t.labelValues([[W.applicant, name(a.applicant)], [W.address, isolate(a.address)], [W.parcel, isolate(a.parcelRef)]], { gapAfter: 6 });
  t.paragraph(`${W.opinionOn(formatDay(a.opinion.givenAt))}: ${VOCABULARY[language].opinion[a.opinion.opinion]}`);
  if (a.opinion.conditions) t.paragraph(`${W.conditions}: ${isolate(a.opinion.conditions)}`, { indent: 12 });
  if (a.opinion.reasons) t.paragraph(`${W.reasons}: ${isolate(a.opinion.reasons)}`, { indent: 12 });
  if (a.opinion.documents.length) {
    t.paragraph(`${W.documents}:`, { indent: 12 });
    for (const d of a.opinion.documents) {
      t.paragraph(`${(ar ? d.labelAr : d.labelFr) || d.itemCode}: ${isolate(d.fileName)} (v${d.version})`, { indent: 24, gapAfter: 0 });
      t.paragraph(`sha256 ${d.sha256}`, { indent: 24, size: 8.5, direction: 'ltr' });
    }
  }
  t.gap(8);
  t.paragraph(W.decides, { bold: true });
  t.paragraph(a.outcome === 'granted' ? W.granted(a.reference) : W.refused(a.reference));
  if (a.outcome === 'granted') {
    const v = permitValidity(a.signedOn);
    t.paragraph(W.validity(formatDay(v.validUntil), formatDay(v.extensionRequestBy)));
  }
  if (a.notes) t.paragraph(`${W.notes}: ${isolate(a.notes)}`);
  const { president } = signatureSlots(t, W.signatures, [['president', W.president]]);
  return { pdf: await t.finish(), slot: president };
}
