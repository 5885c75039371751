/**
 * The bits of DER that CMS signatures and RFC 3161 timestamps are written and read with:
 * node-forge's ASN.1 nodes, built and taken apart by small helpers, and the object
 * identifiers both use.
 */
import crypto from 'node:crypto';
import forge from 'node-forge';

const { asn1 } = forge;
export type Node = forge.asn1.Asn1;

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  /** id-aa-signatureTimeStampToken: an RFC 3161 token over the signature value, unsigned. */
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  /** id-ct-TSTInfo: what a timestamp token's SignedData carries. */
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  /** The extended key usage of a time-stamping authority's certificate. */
  timeStamping: '1.3.6.1.5.5.7.3.8',
} as const;
export const HASH_OF: Record<string, string> = { [OID.sha256]: 'sha256', [OID.sha384]: 'sha384', [OID.sha512]: 'sha512' };

const U = asn1.Class.UNIVERSAL;
export const seq = (value: Node[]) => asn1.create(U, asn1.Type.SEQUENCE, true, value);
export const set = (value: Node[]) => asn1.create(U, asn1.Type.SET, true, value);
export const oid = (id: string) => asn1.create(U, asn1.Type.OID, false, asn1.oidToDer(id).getBytes());
export const octets = (b: Buffer) => asn1.create(U, asn1.Type.OCTETSTRING, false, b.toString('binary'));
export const int = (n: number) => asn1.create(U, asn1.Type.INTEGER, false, asn1.integerToDer(n).getBytes());
/** An INTEGER from its (already minimal, positive) big-endian bytes. */
export const intOfBytes = (b: Buffer) => asn1.create(U, asn1.Type.INTEGER, false, b.toString('binary'));
export const bool = (v: boolean) => asn1.create(U, asn1.Type.BOOLEAN, false, v ? '\xff' : '\x00');
export const nul = () => asn1.create(U, asn1.Type.NULL, false, '');
export const tagged = (tag: number, value: Node[]) => asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, true, value);
export const der = (node: Node) => Buffer.from(asn1.toDer(node).getBytes(), 'binary');
// forge's options object (parseAllBytes, decodeBitStrings) is missing from its typings.
export const fromDer = (b: Buffer) => (asn1.fromDer as unknown as (bytes: string, options: object) => Node)(b.toString('binary'), { parseAllBytes: false, decodeBitStrings: false });
export const children = (node: Node | undefined) => (Array.isArray(node?.value) ? (node.value as Node[]) : []);
/** A primitive node's contents. */
export const bytesOf = (node: Node | undefined) => Buffer.from(typeof node?.value === 'string' ? node.value : '', 'binary');
export const oidOf = (node: Node | undefined) => asn1.derToOid(node?.value as string);
export const isTagged = (node: Node, tag: number) => node.tagClass === asn1.Class.CONTEXT_SPECIFIC && node.type === tag;
export const isUniversal = (node: Node, type: forge.asn1.Type) => node.tagClass === U && node.type === type;
/** DER's SET OF: members in the order of their encodings. */
export const sortedSet = (members: Node[]) => members.map((m) => ({ m, d: der(m) })).sort((a, b) => Buffer.compare(a.d, b.d)).map((x) => x.m);
/** A UTCTime or GeneralizedTime. */
export const timeOf = (node: Node) => (node.type === asn1.Type.UTCTIME ? asn1.utcTimeToDate(node.value as string) : asn1.generalizedTimeToDate(node.value as string));
/** Attribute ::= SEQUENCE { type, SET OF value } with one value. */
export const attribute = (type: string, value: Node) => seq([oid(type), set([value])]);
/** The first value of each attribute of a SET OF Attribute, by type. */
export const attributesOf = (node: Node | undefined) => new Map(children(node).map((a) => {
  const [t, values] = children(a);
  return [oidOf(t), children(values)[0]!] as const;
}));
export const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest();
export const { Type } = asn1;
