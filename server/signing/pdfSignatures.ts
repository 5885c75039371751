/**
 * The signatures of a PDF as a reader (or a court) checks them: each signature dictionary's
 * byte range, its CMS signature checked against those bytes, the signer's certificate, the
 * time and role it states, and where the revision it covers ends. Found by scanning the file
 * for /ByteRange (signature dictionaries are never in compressed object streams: §12.8.1
 * requires /Contents to be a direct string), so a hostile file costs one linear pass.
 */
import type crypto from 'node:crypto';
import { readCms } from './cms';
import { readTimestamp } from './timestamp';

export interface PdfSignature {
  byteRange: [number, number, number, number];
  /** Where the covered revision ends (the byte range's end). */
  coversUpTo: number;
  /** The CMS signature matches the covered bytes and was made by the certificate it names. */
  cryptographicallyValid: boolean;
  certificate: crypto.X509Certificate | null;
  chain: crypto.X509Certificate[];
  /** /M, else the CMS signing time. */
  signedAt: Date | null;
  name: string | null;
  reason: string | null;
  /** /LajnaRole: the role the signer signed in, as Lajna wrote it. */
  role: string | null;
  /** /LajnaAuditHead: the audit log's head (`seq:hash`) when it was signed. */
  auditHead: string | null;
  /** The RFC 3161 token among its unsigned attributes (PAdES B-T), as read; a token that cannot be read has no time and holds nothing. */
  timestamp: { time: Date | null; authority: string | null; imprintMatches: boolean; valid: boolean } | null;
}

const UNREADABLE_TIMESTAMP = { time: null, authority: null, imprintMatches: false, valid: false };

const BYTE_RANGE = /\/ByteRange\s*\[\s*(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s*\]/g;

/** Decodes a PDF string token (literal or hex; UTF-16BE with BOM or PDFDocEncoding taken as Latin-1). */
function pdfString(token: string): string {
  let bytes: Buffer;
  if (token.startsWith('<')) bytes = Buffer.from(token.slice(1, -1).replace(/\s+/g, ''), 'hex');
  else {
    const body = token.slice(1, -1).replace(/\\([nrtbf()\\]|[0-7]{1,3})/g, (_m, e: string) =>
      ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '(': '(', ')': ')', '\\': '\\' } as Record<string, string>)[e] ?? String.fromCharCode(parseInt(e, 8)));
    bytes = Buffer.from(body, 'latin1');
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const le = Buffer.from(bytes.subarray(2));
    le.swap16();
    return le.toString('utf16le');
  }
  return bytes.toString('latin1');
}

function entry(dict: string, key: string): string | null {
  const match = new RegExp(`/${key}\\s*(<[0-9A-Fa-f\\s]*>|\\((?:\\\\.|[^\\\\)])*\\)|/[^\\s/<>()\\[\\]]+)`).exec(dict);
  if (!match) return null;
  const token = match[1]!;
  return token.startsWith('/') ? token.slice(1) : pdfString(token);
}

/** Reads a PDF date (D:YYYYMMDDHHmmSS with an optional zone). */
function pdfDate(s: string | null): Date | null {
  const m = s && /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(Z|[+-]\d{2}'?\d{2}'?)?/.exec(s);
  if (!m) return null;
  const zone = !m[7] || m[7] === 'Z' ? 'Z' : `${m[7].slice(0, 3)}:${m[7].replace(/'/g, '').slice(3, 5)}`;
  const d = new Date(`${m[1]}-${m[2] ?? '01'}-${m[3] ?? '01'}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}${zone}`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Every signature of the PDF, in the order of the file (the first signed revision first). */
export function pdfSignatures(pdf: Buffer): PdfSignature[] {
  const text = pdf.toString('latin1');
  const found: PdfSignature[] = [];
  for (const match of text.matchAll(BYTE_RANGE)) {
    const byteRange = match.slice(1, 5).map(Number) as [number, number, number, number];
    const [a, b, c, d] = byteRange;
    // The hole must be exactly one hex string: /Contents, and nothing else left out.
    const hole = b <= c && c + d <= pdf.length ? text.slice(b, c) : '';
    if (a !== 0 || !/^<[0-9A-Fa-f]*>$/.test(hole)) {
      found.push({ byteRange, coversUpTo: c + d, cryptographicallyValid: false, certificate: null, chain: [], signedAt: null, name: null, reason: null, role: null, auditHead: null, timestamp: null });
      continue;
    }
    // The dictionary around it, without the signature's own (long) hex string.
    const start = text.lastIndexOf(' obj', Math.min(match.index, b));
    const end = text.indexOf('endobj', c);
    const dict = `${text.slice(Math.max(0, start), b)}${text.slice(c, end === -1 ? c + 4096 : end)}`;
    const cms = readCms(Buffer.from(hole.slice(1, -1), 'hex'));
    const signed = Buffer.concat([pdf.subarray(0, b), pdf.subarray(c, c + d)]);
    found.push({
      byteRange,
      coversUpTo: c + d,
      cryptographicallyValid: cms?.verify(signed) ?? false,
      certificate: cms?.signer ?? null,
      chain: cms?.certificates ?? [],
      signedAt: pdfDate(entry(dict, 'M')) ?? cms?.signingTime ?? null,
      name: entry(dict, 'Name'),
      reason: entry(dict, 'Reason'),
      role: entry(dict, 'LajnaRole'),
      auditHead: entry(dict, 'LajnaAuditHead'),
      timestamp: cms?.timestampToken ? readTimestamp(cms.timestampToken, cms.signatureValue) ?? UNREADABLE_TIMESTAMP : null,
    });
  }
  return found;
}

/**
 * Where each revision of the file ends (after its %%EOF and end-of-line): the first is the
 * document as it was created, each later one an incremental update.
 */
export function revisionEnds(pdf: Buffer): number[] {
  const ends: number[] = [];
  for (let at = pdf.indexOf('%%EOF'); at !== -1; at = pdf.indexOf('%%EOF', at + 5)) {
    let end = at + 5;
    if (pdf[end] === 0x0d) end++;
    if (pdf[end] === 0x0a) end++;
    ends.push(end);
  }
  return ends;
}
