/**
 * The visible part of a signature: a small page, the size of its slot, that says in Arabic
 * and French who signed, in which role and when (Tunis time). Typeset by server/pdf like the
 * documents, so Arabic is shaped and ordered; pdfSigner places it as the field's appearance.
 */
import { formatDay, formatTime } from '../../protocol/municipalTime';
import { isolate, Typesetter } from '../pdf';

export interface AppearanceText {
  nameAr: string;
  nameFr: string;
  roleAr: string;
  roleFr: string;
  signedAt: Date;
}

export async function signatureAppearance(width: number, height: number, s: AppearanceText): Promise<Buffer> {
  const t = Typesetter.create({ lang: 'fr', direction: 'ltr', title: 'Signature', created: s.signedAt, size: [width, height], margin: 0 });
  const when = `${formatDay(s.signedAt)} ${formatTime(s.signedAt)}`;
  t.doc.save().rect(0.5, 0.5, width - 1, height - 1).lineWidth(0.8).strokeColor('#1d4e89').stroke().restore();
  const box = { x: 6, width: width - 12 };
  let y = 4;
  y += t.block(`Signé électroniquement par ${isolate(s.nameFr)} — ${s.roleFr}`, { ...box, y, size: 7.5, bold: true, direction: 'ltr' });
  y += t.block(`أمضاه إلكترونيا ${isolate(s.nameAr)} — ${s.roleAr}`, { ...box, y, size: 7.5, bold: true, direction: 'rtl' });
  t.block(`${when} (Tunis) — PAdES`, { ...box, y: y + 1, size: 7, color: '#333', direction: 'ltr' });
  return t.finish();
}
