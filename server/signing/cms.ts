/**
 * CMS SignedData for PDF signatures (PAdES baseline B-B, SubFilter ETSI.CAdES.detached):
 * detached, over the sha256 of the signed byte ranges, with the signed attributes PAdES asks
 * for (content type, message digest, ESS signing-certificate-v2; no signing time: the PDF's
 * /M carries it) and the signer's chain. Built and read with node-forge's ASN.1 (its own
 * PKCS#7 writer cannot add signing-certificate-v2); the signature itself is Node's.
 */
import crypto from 'node:crypto';
import forge from 'node-forge';

const { asn1 } = forge;
type Node = forge.asn1.Asn1;

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
} as const;
const HASH_OF: Record<string, string> = { [OID.sha256]: 'sha256', [OID.sha384]: 'sha384', [OID.sha512]: 'sha512' };

const U = asn1.Class.UNIVERSAL;
const seq = (value: Node[]) => asn1.create(U, asn1.Type.SEQUENCE, true, value);
const set = (value: Node[]) => asn1.create(U, asn1.Type.SET, true, value);
const oid = (id: string) => asn1.create(U, asn1.Type.OID, false, asn1.oidToDer(id).getBytes());
const octets = (b: Buffer) => asn1.create(U, asn1.Type.OCTETSTRING, false, b.toString('binary'));
const int = (n: number) => asn1.create(U, asn1.Type.INTEGER, false, asn1.integerToDer(n).getBytes());
const nul = () => asn1.create(U, asn1.Type.NULL, false, '');
const tagged = (tag: number, value: Node[]) => asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, true, value);
const der = (node: Node) => Buffer.from(asn1.toDer(node).getBytes(), 'binary');
// forge's options object (parseAllBytes, decodeBitStrings) is missing from its typings.
const fromDer = (b: Buffer) => (asn1.fromDer as unknown as (bytes: string, options: object) => Node)(b.toString('binary'), { parseAllBytes: false, decodeBitStrings: false });
const children = (node: Node | undefined) => (Array.isArray(node?.value) ? (node.value as Node[]) : []);
const isTagged = (node: Node, tag: number) => node.tagClass === asn1.Class.CONTEXT_SPECIFIC && node.type === tag;
/** DER's SET OF: members in the order of their encodings. */
const sortedSet = (members: Node[]) => members.map((m) => ({ m, d: der(m) })).sort((a, b) => Buffer.compare(a.d, b.d)).map((x) => x.m);

/** The issuer and serial number of a certificate, as its own ASN.1 nodes. */
function issuerAndSerial(certDer: Buffer): { issuer: Node; serial: Node } {
  const tbs = children(fromDer(certDer))[0]!;
  const fields = children(tbs);
  const offset = fields[0] && isTagged(fields[0], 0) ? 1 : 0;
  return { serial: fields[offset]!, issuer: fields[offset + 2]! };
}

const pemToDer = (pem: string) => Buffer.from(new crypto.X509Certificate(pem).raw);

export interface CmsSigner {
  key: crypto.KeyObject;
  /** The signer's certificate (PEM). */
  certificatePem: string;
  /** Its issuers, up to the root if known (PEM). */
  chainPem: readonly string[];
}

/** A detached CMS signature over `content` (the concatenated byte ranges). */
export function signDetached(content: Buffer, signer: CmsSigner): Buffer {
  const certDer = pemToDer(signer.certificatePem);
  const digest = crypto.createHash('sha256').update(content).digest();
  const attribute = (type: string, value: Node) => seq([oid(type), set([value])]);
  const attributes = sortedSet([
    attribute(OID.contentType, oid(OID.data)),
    attribute(OID.messageDigest, octets(digest)),
    // ESSCertIDv2 with the default hash (sha256): the certificate the signer meant, bound into what is signed.
    attribute(OID.signingCertificateV2, seq([seq([seq([octets(crypto.createHash('sha256').update(certDer).digest())])])])),
  ]);
  const signature = crypto.sign('sha256', der(set(attributes)), signer.key);
  const ec = signer.key.asymmetricKeyType === 'ec';
  const { issuer, serial } = issuerAndSerial(certDer);
  const signerInfo = seq([
    int(1),
    seq([issuer, serial]),
    seq([oid(OID.sha256)]),
    tagged(0, attributes),
    ec ? seq([oid(OID.ecdsaWithSha256)]) : seq([oid(OID.rsaEncryption), nul()]),
    octets(signature),
  ]);
  const certificates = [certDer, ...signer.chainPem.map(pemToDer)].map(fromDer);
  const signedData = seq([int(1), set([seq([oid(OID.sha256)])]), seq([oid(OID.data)]), tagged(0, certificates), set([signerInfo])]);
  return der(seq([oid(OID.signedData), tagged(0, [signedData])]));
}

export interface CmsReading {
  /** Every certificate the signature carries. */
  certificates: crypto.X509Certificate[];
  /** The one whose issuer and serial the signer info names; null when absent. */
  signer: crypto.X509Certificate | null;
  /** The signing time attribute, when the signer put one (PAdES puts it in /M instead). */
  signingTime: Date | null;
  /** Whether `content` is what was signed, by this certificate's key. */
  verify(content: Buffer): boolean;
}

/** Reads a CMS SignedData (trailing zero padding, as in a PDF's /Contents, is ignored); null when it is not one. */
export function readCms(bytes: Buffer): CmsReading | null {
  try {
    const contentInfo = fromDer(bytes);
    const [type, wrapped] = children(contentInfo);
    if (asn1.derToOid(type!.value as string) !== OID.signedData) return null;
    const fields = children(children(wrapped)[0]);
    const certNodes = children(fields.find((f) => isTagged(f, 0)));
    const certificates = certNodes.map((n) => new crypto.X509Certificate(der(n)));
    const signerInfo = children(fields.at(-1))[0]!;
    const [, sid, digestAlgorithm, ...rest] = children(signerInfo);
    const signedAttrs = rest[0] && isTagged(rest[0], 0) ? rest[0] : null;
    const signatureNode = signedAttrs ? rest[2]! : rest[1]!;
    const signature = Buffer.from(signatureNode.value as string, 'binary');
    const hash = HASH_OF[asn1.derToOid(children(digestAlgorithm)[0]!.value as string)];
    const [sidIssuer, sidSerial] = children(sid).map(der);
    const signerIndex = certNodes.findIndex((n) => {
      const { issuer, serial } = issuerAndSerial(der(n));
      return der(issuer).equals(sidIssuer!) && der(serial).equals(sidSerial!);
    });
    const signer = certificates[signerIndex] ?? null;
    const attrs = new Map(children(signedAttrs ?? undefined).map((a) => {
      const [t, values] = children(a);
      return [asn1.derToOid(t!.value as string), children(values)[0]!] as const;
    }));
    const time = attrs.get(OID.signingTime);
    return {
      certificates,
      signer,
      signingTime: time ? (time.type === asn1.Type.UTCTIME ? asn1.utcTimeToDate(time.value as string) : asn1.generalizedTimeToDate(time.value as string)) : null,
      verify(content) {
        if (!signer || !hash) return false;
        const digest = crypto.createHash(hash).update(content).digest();
        if (!signedAttrs) return crypto.verify(hash, content, signer.publicKey, signature);
        const messageDigest = attrs.get(OID.messageDigest);
        if (!messageDigest || !Buffer.from(messageDigest.value as string, 'binary').equals(digest)) return false;
        // What was signed is the attributes' DER as a SET, not the [0] they travel in.
        return crypto.verify(hash, der(set(children(signedAttrs))), signer.publicKey, signature);
      },
    };
  } catch {
    return null;
  }
}
