/**
 * CMS SignedData for PDF signatures (PAdES baseline B-B, SubFilter ETSI.CAdES.detached):
 * detached, over the sha256 of the signed byte ranges, with the signed attributes PAdES asks
 * for (content type, message digest, ESS signing-certificate-v2; no signing time: the PDF's
 * /M carries it) and the signer's chain; with a timestamp authority, B-T: an RFC 3161 token
 * over the signature value among the unsigned attributes. Built and read with node-forge's
 * ASN.1 (its own PKCS#7 writer cannot add signing-certificate-v2); the signature itself is Node's.
 */
import crypto from 'node:crypto';
import {
  attribute, attributesOf, bytesOf, children, der, fromDer, HASH_OF, int, isTagged, nul, octets, OID, oid, oidOf, seq, set, sha256, sortedSet, tagged, timeOf, type Node,
} from './asn1';

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

/** Asks a timestamp authority for a token (DER) over a signature value. */
export type Timestamper = (signatureValue: Buffer) => Promise<Buffer>;

/** A detached CMS signature over `content` (the concatenated byte ranges), timestamped by `timestamp` when given. */
export async function signDetached(content: Buffer, signer: CmsSigner, timestamp?: Timestamper): Promise<Buffer> {
  const certDer = pemToDer(signer.certificatePem);
  const attributes = sortedSet([
    attribute(OID.contentType, oid(OID.data)),
    attribute(OID.messageDigest, octets(sha256(content))),
    // ESSCertIDv2 with the default hash (sha256): the certificate the signer meant, bound into what is signed.
    attribute(OID.signingCertificateV2, seq([seq([seq([octets(sha256(certDer))])])])),
  ]);
  const signature = crypto.sign('sha256', der(set(attributes)), signer.key);
  const ec = signer.key.asymmetricKeyType === 'ec';
  const { issuer, serial } = issuerAndSerial(certDer);
  const unsigned = timestamp ? [tagged(1, [attribute(OID.signatureTimeStampToken, fromDer(await timestamp(signature)))])] : [];
  const signerInfo = seq([
    int(1),
    seq([issuer, serial]),
    seq([oid(OID.sha256)]),
    tagged(0, attributes),
    ec ? seq([oid(OID.ecdsaWithSha256)]) : seq([oid(OID.rsaEncryption), nul()]),
    octets(signature),
    ...unsigned,
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
  /** The signer info's signature value: what a signature timestamp's imprint is the hash of. */
  signatureValue: Buffer;
  /** The content it carries (a timestamp token's TSTInfo), with its type; null when detached. */
  encapsulated: { type: string; content: Buffer } | null;
  /** The RFC 3161 token among the unsigned attributes (PAdES B-T), DER; null when none. */
  timestampToken: Buffer | null;
  /** Whether `content` is what was signed, by this certificate's key. */
  verify(content: Buffer): boolean;
}

/** Reads a CMS SignedData (trailing zero padding, as in a PDF's /Contents, is ignored); null when it is not one. */
export function readCms(bytes: Buffer): CmsReading | null {
  try {
    const contentInfo = fromDer(bytes);
    const [type, wrapped] = children(contentInfo);
    if (oidOf(type) !== OID.signedData) return null;
    const fields = children(children(wrapped)[0]);
    const [encapsulatedType, encapsulatedContent] = children(fields[2]);
    const eContent = children(encapsulatedContent)[0];
    const certNodes = children(fields.find((f) => isTagged(f, 0)));
    const certificates = certNodes.map((n) => new crypto.X509Certificate(der(n)));
    const signerInfo = children(fields.at(-1))[0]!;
    const [, sid, digestAlgorithm, ...rest] = children(signerInfo);
    const signedAttrs = rest[0] && isTagged(rest[0], 0) ? rest[0] : null;
    const signatureNode = signedAttrs ? rest[2]! : rest[1]!;
    const unsignedAttrs = rest.find((n) => isTagged(n, 1));
    const signature = bytesOf(signatureNode);
    const hash = HASH_OF[oidOf(children(digestAlgorithm)[0])];
    const [sidIssuer, sidSerial] = children(sid).map(der);
    const signerIndex = certNodes.findIndex((n) => {
      const { issuer, serial } = issuerAndSerial(der(n));
      return der(issuer).equals(sidIssuer!) && der(serial).equals(sidSerial!);
    });
    const signer = certificates[signerIndex] ?? null;
    const attrs = attributesOf(signedAttrs ?? undefined);
    const time = attrs.get(OID.signingTime);
    const token = attributesOf(unsignedAttrs).get(OID.signatureTimeStampToken);
    return {
      certificates,
      signer,
      signingTime: time ? timeOf(time) : null,
      signatureValue: signature,
      encapsulated: eContent ? { type: oidOf(encapsulatedType), content: bytesOf(eContent) } : null,
      timestampToken: token ? der(token) : null,
      verify(content) {
        if (!signer || !hash) return false;
        const digest = crypto.createHash(hash).update(content).digest();
        if (!signedAttrs) return crypto.verify(hash, content, signer.publicKey, signature);
        const messageDigest = attrs.get(OID.messageDigest);
        if (!messageDigest || !bytesOf(messageDigest).equals(digest)) return false;
        // What was signed is the attributes' DER as a SET, not the [0] they travel in.
        return crypto.verify(hash, der(set(children(signedAttrs))), signer.publicKey, signature);
      },
    };
  } catch {
    return null;
  }
}
