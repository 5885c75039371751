/**
 * Adds a signature to a PDF as an incremental update (ISO 32000-1 §7.5.6, §12.8): the
 * previous revision's bytes stay as they were, byte for byte, and after them come the new
 * objects (a signature field with its visible appearance on a given page, the signature
 * dictionary) and the objects that change (the page's annotations, the catalog's form),
 * with their own cross-reference section pointing back at the previous one. So the
 * fingerprint taken at finalize still holds for the first revision, and an earlier signature
 * still covers exactly its own revision.
 *
 * pdf-lib reads the PDF and copies the appearance (a one-page PDF typeset in Arabic and
 * French by server/pdf) into it as a form XObject; only the objects written here are
 * serialised, by pdf-lib, into the update. @signpdf's placeholders either rewrite the whole
 * file (pdf-lib's) or cannot carry a visible appearance with embedded fonts (the plain one).
 */
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, type PDFObject } from 'pdf-lib';

/** Where a signature's visible block goes: a page (0-based) and a rectangle in PDF points from the bottom left. */
export interface SignatureSlot {
  page: number;
  rect: [number, number, number, number];
}

export interface SignatureRequest {
  slot: SignatureSlot;
  /** The field's name, unique in the document (e.g. `secretary`). */
  fieldName: string;
  /** A one-page PDF, the size of the slot: what readers show in it. */
  appearance: Uint8Array;
  signedAt: Date;
  /** The signer's name, /Name. */
  name: string;
  /** Why, in words (/Reason), and the role as a code (/LajnaRole), both covered by the signature. */
  reason: string;
  role: string;
  location: string;
  /** The audit log's head when signing (`seq:hash`): the signed document pins the log as it stood. */
  auditHead?: string;
  /** Makes the CMS signature (DER) over the signed bytes. */
  sign: (signedBytes: Buffer) => Promise<Buffer> | Buffer;
}

/** Bytes reserved for the CMS signature: a chain of three 4096-bit certificates and a timestamp fit. */
export const SIGNATURE_BYTES = 16_384;
const BYTE_RANGE_PLACEHOLDER = '[0 0000000000 0000000000 0000000000]';

/** A PDF date, D:YYYYMMDDHHmmSSZ. */
const pdfDate = (d: Date) => `D:${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
/** A text string that keeps any script: UTF-16BE with its byte-order mark, in hex. */
const textString = (s: string) => PDFHexString.fromText(s).toString();

function serialise(ref: PDFRef, object: PDFObject): Buffer {
  const body = Buffer.alloc(object.sizeInBytes());
  object.copyBytesInto(body, 0);
  return Buffer.concat([Buffer.from(`${ref.objectNumber} ${ref.generationNumber} obj\n`), body, Buffer.from('\nendobj\n')]);
}

/** The offset the last `startxref` of the file gives (the previous cross-reference section). */
function lastStartXref(pdf: Buffer): number {
  const tail = pdf.subarray(Math.max(0, pdf.length - 2048)).toString('latin1');
  const match = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!match) throw new Error('the PDF does not end with startxref and %%EOF');
  return Number(match[1]);
}

/** The PDF with one more signature, as an incremental update after its last revision. */
export async function appendSignature(pdf: Buffer, request: SignatureRequest): Promise<Buffer> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const context = doc.context;
  const firstNew = context.largestObjectNumber + 1;
  const changed = new Set<PDFRef>();
  const page = doc.getPage(request.slot.page);

  const [appearance] = await doc.embedPdf(request.appearance, [0]);
  const sigRef = context.nextRef();
  const widget = context.obj({
    Type: 'Annot', Subtype: 'Widget', FT: 'Sig', F: 4,
    T: PDFString.of(request.fieldName), V: sigRef, P: page.ref,
    Rect: request.slot.rect, AP: { N: appearance!.ref },
  });
  const widgetRef = context.register(widget);

  // The page lists the widget among its annotations (the array itself may be an object of its own).
  const annots = page.node.get(PDFName.of('Annots'));
  if (annots instanceof PDFRef) {
    context.lookup(annots, PDFArray).push(widgetRef);
    changed.add(annots);
  } else {
    if (annots instanceof PDFArray) annots.push(widgetRef);
    else page.node.set(PDFName.of('Annots'), context.obj([widgetRef]));
    changed.add(page.ref);
  }
  // The catalog's form lists the field; SigFlags 3: signatures exist, append only.
  const catalogRef = context.trailerInfo.Root as PDFRef;
  const form = doc.catalog.get(PDFName.of('AcroForm'));
  const formDict = form instanceof PDFRef ? context.lookup(form, PDFDict) : form instanceof PDFDict ? form : null;
  if (formDict) {
    const fields = formDict.lookup(PDFName.of('Fields'));
    if (fields instanceof PDFArray) fields.push(widgetRef);
    else formDict.set(PDFName.of('Fields'), context.obj([widgetRef]));
    formDict.set(PDFName.of('SigFlags'), PDFNumber.of(3));
    changed.add(form instanceof PDFRef ? form : catalogRef);
  } else {
    doc.catalog.set(PDFName.of('AcroForm'), context.register(context.obj({ Fields: [widgetRef], SigFlags: 3 })));
    changed.add(catalogRef);
  }
  await doc.flush();

  const original = pdf.at(-1) === 0x0a ? pdf : Buffer.concat([pdf, Buffer.from('\n')]);
  const parts: Buffer[] = [];
  let offset = original.length;
  const offsets = new Map<number, number>();
  const write = (objectNumber: number, bytes: Buffer) => {
    offsets.set(objectNumber, offset);
    parts.push(bytes);
    offset += bytes.length;
  };
  for (const ref of changed) write(ref.objectNumber, serialise(ref, context.lookup(ref)!));
  for (const [ref, object] of context.enumerateIndirectObjects()) {
    if (ref.objectNumber >= firstNew && ref !== sigRef) write(ref.objectNumber, serialise(ref, object));
  }
  const placeholder = `<${'0'.repeat(SIGNATURE_BYTES * 2)}>`;
  const sigText = `${sigRef.objectNumber} 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange ${BYTE_RANGE_PLACEHOLDER} /Contents ${placeholder}`
    + ` /M (${pdfDate(request.signedAt)}) /Name ${textString(request.name)} /Reason ${textString(request.reason)} /Location ${textString(request.location)}`
    + ` /LajnaRole /${request.role}${request.auditHead ? ` /LajnaAuditHead (${request.auditHead})` : ''} >>\nendobj\n`;
  const sigOffset = offset;
  write(sigRef.objectNumber, Buffer.from(sigText, 'latin1'));

  const numbers = [...offsets.keys()].sort((a, b) => a - b);
  let xref = 'xref\n';
  for (let i = 0; i < numbers.length;) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j]! + 1) j++;
    xref += `${numbers[i]} ${j - i + 1}\n`;
    for (let k = i; k <= j; k++) xref += `${String(offsets.get(numbers[k]!)).padStart(10, '0')} 00000 n\r\n`;
    i = j + 1;
  }
  const trailer = context.trailerInfo;
  const trailerDict = [
    `/Size ${context.largestObjectNumber + 1}`, `/Root ${catalogRef.toString()}`,
    ...(trailer.Info ? [`/Info ${trailer.Info.toString()}`] : []),
    ...(trailer.ID ? [`/ID ${trailer.ID.toString()}`] : []),
    `/Prev ${lastStartXref(pdf)}`,
  ].join(' ');
  parts.push(Buffer.from(`${xref}trailer\n<< ${trailerDict} >>\nstartxref\n${offset}\n%%EOF\n`, 'latin1'));
  const file = Buffer.concat([original, ...parts]);

  // The byte range: everything but the hex string of /Contents (its angle brackets included).
  const contentsStart = sigOffset + sigText.indexOf(placeholder);
  const contentsEnd = contentsStart + placeholder.length;
  const range = `[0 ${contentsStart} ${contentsEnd} ${file.length - contentsEnd}]`;
  const rangeAt = sigOffset + sigText.indexOf(BYTE_RANGE_PLACEHOLDER);
  file.write(range.padEnd(BYTE_RANGE_PLACEHOLDER.length, ' '), rangeAt, 'latin1');
  const cms = await request.sign(Buffer.concat([file.subarray(0, contentsStart), file.subarray(contentsEnd)]));
  if (cms.length > SIGNATURE_BYTES) throw new Error(`the CMS signature takes ${cms.length} bytes, more than the ${SIGNATURE_BYTES} reserved`);
  file.write(cms.toString('hex'), contentsStart + 1, 'latin1');
  return file;
}
