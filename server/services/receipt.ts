import type { DossierView } from '../../protocol/dossiers';
import { formatDateTime, MUNICIPAL_ZONE_NAME } from '../../protocol/municipalTime';
import { isolate, Typesetter } from '../pdf';

/** Points: the French label column (left), the Arabic one (right); the value between them. */
const LABEL_WIDTH = 125;

/** What the receipt lists, French label then Arabic label. */
const ROW = {
  reference: ['Référence', 'المرجع'],
  submitted: [`Déposé le (${MUNICIPAL_ZONE_NAME.fr})`, `تاريخ الإيداع (${MUNICIPAL_ZONE_NAME.ar})`],
  applicant: ['Demandeur', 'صاحب المطلب'],
  email: ['Adresse électronique', 'البريد الإلكتروني'],
  type: ['Nature de la demande', 'نوع المطلب'],
  address: ['Adresse du terrain', 'عنوان العقار'],
  parcel: ['Référence de la parcelle', 'مرجع القطعة'],
  area: ['Surface couverte', 'المساحة المغطاة'],
  levels: ['Nombre de niveaux', 'عدد الطوابق'],
} as const;

/**
 * The submission receipt, in Arabic and French on one page: the municipality, the
 * reference, when it was filed (Tunis time, the zone named), the applicant, the land, and
 * every document by its checklist item with its file name and sha256, so the applicant can
 * later prove exactly what was filed. Each row carries its French label on the left and
 * its Arabic label on the right; what the applicant typed (address, file names) is set in
 * its own direction, with Arabic shaped. Same dossier and submission → same bytes.
 */
export function receiptPdf(dossier: DossierView, submittedAt: Date): Promise<Buffer> {
  const t = Typesetter.create({
    lang: 'fr', direction: 'ltr', created: submittedAt, margin: 48,
    title: `Récépissé de dépôt — وصل إيداع — ${dossier.reference}`,
  });
  const half = t.width / 2;
  const top = t.y;
  const left = t.block(`République tunisienne\n${dossier.municipality.nameFr}`, { x: t.left, y: top, width: half, size: 11, bold: true });
  const right = t.block(`الجمهورية التونسية\n${dossier.municipality.nameAr}`, { x: t.left + half, y: top, width: half, size: 11, bold: true });
  t.gap(Math.max(left, right) + 14);
  t.paragraph('Récépissé de dépôt d’une demande de permis de bâtir', { size: 15, bold: true, align: 'center', gapAfter: 2 });
  t.paragraph('وصل إيداع مطلب رخصة بناء', { size: 15, bold: true, align: 'center', direction: 'rtl', gapAfter: 14 });

  const columns = [
    { width: LABEL_WIDTH, bold: true, direction: 'ltr' as const },
    { size: 11 },
    { width: LABEL_WIDTH, bold: true, direction: 'rtl' as const },
  ];
  const row = ([fr, ar]: readonly [string, string], value: string) => [fr, value, ar];
  const applicant = dossier.applicant;
  t.table([
    row(ROW.reference, dossier.reference ?? ''),
    row(ROW.submitted, formatDateTime(submittedAt)),
    ...(applicant ? [row(ROW.applicant, `${isolate(applicant.nameFr)} — ${isolate(applicant.nameAr)}`), row(ROW.email, applicant.email)] : []),
    row(ROW.type, `${dossier.type.nameFr} — ${isolate(dossier.type.nameAr)}`),
    row(ROW.address, isolate(dossier.location.address)),
    row(ROW.parcel, isolate(dossier.location.parcelRef)),
    row(ROW.area, `${dossier.coveredAreaM2} m²`),
    row(ROW.levels, String(dossier.levels)),
  ], columns, { ruled: true, rowGap: 6, gapAfter: 12 });

  t.table([['Pièces déposées', '', 'الوثائق المودعة']], [{ ...columns[0]!, size: 12.5 }, {}, { ...columns[2]!, size: 12.5 }], { gapAfter: 4 });
  for (const d of dossier.documents) {
    const item = dossier.checklist.find((c) => c.code === d.itemCode);
    const v = d.currentVersion;
    t.table([[
      item?.labelFr ?? d.itemCode,
      `${isolate(v.fileName)}\nv${v.version} · ${v.pageCount} p. · ${v.size} octets`,
      item?.labelAr ?? d.itemCode,
    ]], [{ ...columns[0]!, bold: false, size: 10 }, { size: 10 }, { ...columns[2]!, bold: false, size: 10 }], { rowGap: 1 });
    // The hash alone on its line, left to right, found and copied as one word.
    t.paragraph(`sha256 ${v.sha256}`, { size: 8.5, indent: LABEL_WIDTH + 10, gapAfter: 6 });
  }
  t.gap(10);
  t.rule();
  t.gap(8);
  t.paragraph('Ce récépissé atteste le dépôt du dossier et des pièces ci-dessus, chacune identifiée par son empreinte SHA-256. '
    + 'Il ne vaut pas permis de bâtir : le délai légal d’instruction court à partir du jour où le dossier est déclaré complet.', { size: 9.5 });
  t.paragraph('يثبت هذا الوصل إيداع الملف والوثائق المذكورة أعلاه، وكل منها معرّفة ببصمتها SHA-256. '
    + 'ولا يعدّ رخصة بناء: يبدأ الأجل القانوني لدراسة المطلب من يوم التصريح باكتمال الملف.', { size: 9.5, direction: 'rtl', align: 'end' });
  t.pageNumbers((n, of) => `Page ${n} / ${of} — صفحة ${n} من ${of}`);
  return t.finish();
}
