import type { Typesetter } from '../pdf';
import type { SignatureSlot } from './pdfSigner';

/** Height of a signature's visible block: three short lines, French then Arabic, then the time. */
export const SLOT_HEIGHT = 52;
const GAP = 16;

/**
 * Leaves, at the end of a document, a heading and one empty box per signer side by side
 * (from the document's start side, in signing order) with each role's label above it, and
 * says where each box is in PDF coordinates: that is where the signer's appearance goes.
 * The boxes are kept together on the last page.
 */
export function signatureSlots<R extends string>(t: Typesetter, heading: string, signers: readonly (readonly [R, string])[]): Record<R, SignatureSlot> {
  t.gap(10);
  t.ensure(60 + SLOT_HEIGHT);
  t.paragraph(heading, { size: 12.5, bold: true });
  const width = (t.width - GAP * (signers.length - 1)) / signers.length;
  const top = t.y;
  const page = t.doc.bufferedPageRange().count - 1;
  const height = t.doc.page.height;
  const slots = {} as Record<R, SignatureSlot>;
  signers.forEach(([role, label], i) => {
    const offset = i * (width + GAP);
    const x = t.direction === 'rtl' ? t.left + t.width - offset - width : t.left + offset;
    t.block(label, { x, y: top, width, size: 9.5, bold: true, align: 'start' });
    const boxTop = top + 16;
    t.doc.save().dash(2, { space: 2 }).rect(x, boxTop, width, SLOT_HEIGHT).lineWidth(0.5).strokeColor('#999').stroke().undash().restore();
    slots[role] = { page, rect: [x, height - boxTop - SLOT_HEIGHT, x + width, height - boxTop] };
  });
  t.gap(16 + SLOT_HEIGHT + 8);
  return slots;
}
