/**
 * X.509 certificates for signing, made with node-forge (the key pairs themselves are Node's:
 * forge's pure-JS RSA generation takes seconds). A municipality's CA certificate, the
 * signing certificates it issues to its secretary, chair and president, and the reading of
 * a PKCS#12 file (e.g. a TunTrust certificate) into a key and its chain.
 */
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

const generateKeyPair = promisify(crypto.generateKeyPair);

/** A key pair in PEM (PKCS#8 private key, unencrypted: only ever held in memory). */
export async function newRsaKeyPair(bits: number): Promise<{ privateKeyPem: string; publicKeyPem: string }> {
  const { privateKey, publicKey } = await generateKeyPair('rsa', {
    modulusLength: bits,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

export interface DistinguishedName {
  commonName: string;
  organization: string;
  organizationalUnit?: string;
  /** ISO 3166 code; TN. */
  country?: string;
  title?: string;
}

function attributesOf(dn: DistinguishedName): forge.pki.CertificateField[] {
  return [
    { shortName: 'C', value: dn.country ?? 'TN' },
    { shortName: 'O', value: dn.organization, valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class },
    ...(dn.organizationalUnit ? [{ shortName: 'OU', value: dn.organizationalUnit, valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class }] : []),
    ...(dn.title ? [{ name: 'title', value: dn.title, valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class }] : []),
    { shortName: 'CN', value: dn.commonName, valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class },
  ];
}

/** A positive serial of 16 random bytes, as hex (RFC 5280: at most 20 octets, unpredictable). */
function serialNumber(): string {
  const bytes = crypto.randomBytes(16);
  bytes[0]! &= 0x7f;
  bytes[0]! |= 0x10;
  return bytes.toString('hex');
}

export interface IssueOptions {
  subject: DistinguishedName;
  publicKeyPem: string;
  notBefore: Date;
  years: number;
}

function certificateOf(o: IssueOptions): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(o.publicKeyPem);
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = o.notBefore;
  cert.validity.notAfter = new Date(o.notBefore.getTime());
  cert.validity.notAfter.setUTCFullYear(o.notBefore.getUTCFullYear() + o.years);
  cert.setSubject(attributesOf(o.subject));
  return cert;
}

/** A self-signed CA certificate for a municipality's signing authority. */
export function caCertificate(o: IssueOptions & { privateKeyPem: string }): string {
  const cert = certificateOf(o);
  cert.setIssuer(cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(o.privateKeyPem), forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

/**
 * A signing certificate for a person, issued by the CA: digital signature and
 * non-repudiation, and email protection as its extended use (what NSS, hence pdfsig and
 * Firefox's and Thunderbird's viewers, require of a document signer).
 */
export function signerCertificate(o: IssueOptions & { caCertificatePem: string; caPrivateKeyPem: string; email?: string }): string {
  const ca = forge.pki.certificateFromPem(o.caCertificatePem);
  const cert = certificateOf(o);
  // forge reads UTF8String values as their bytes and would encode them again when writing.
  cert.setIssuer(ca.subject.attributes.map((a) => ((a.valueTagClass as unknown) === forge.asn1.Type.UTF8 ? { ...a, value: forge.util.decodeUtf8(a.value as string) } : a)));
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'extKeyUsage', emailProtection: true },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
    ...(o.email ? [{ name: 'subjectAltName', altNames: [{ type: 1, value: o.email }] }] : []),
  ]);
  cert.sign(forge.pki.privateKeyFromPem(o.caPrivateKeyPem), forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

export interface Pkcs12Contents {
  /** PKCS#8 PEM, unencrypted (held in memory only). */
  privateKeyPem: string;
  /** The certificate whose public key matches the key. */
  certificatePem: string;
  /** The other certificates of the file (the issuers), in the file's order. */
  chainPem: string[];
}

/** Why a PKCS#12 file gives no signing credential. */
export type Pkcs12Problem = 'not_pkcs12' | 'wrong_file_password' | 'no_key' | 'key_mismatch';

/** Opens a PKCS#12 file with its password: its key and the certificate of that key, or what is wrong with it. */
export function readPkcs12(der: Buffer, password: string): Pkcs12Contents | { problem: Pkcs12Problem } {
  let asn: forge.asn1.Asn1;
  try {
    asn = forge.asn1.fromDer(der.toString('binary'));
  } catch {
    return { problem: 'not_pkcs12' };
  }
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(asn, false, password);
  } catch (error) {
    // forge says "PKCS#12 MAC could not be verified. Invalid password?" or fails decrypting the bags.
    return { problem: /password|MAC|decrypt|Invalid/i.test((error as Error).message) ? 'wrong_file_password' : 'not_pkcs12' };
  }
  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag! })[forge.pki.oids.keyBag!] ?? []),
  ];
  const certBags = p12.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? [];
  const key = keyBags.find((b) => b.key)?.key;
  const certs = certBags.flatMap((b) => (b.cert ? [forge.pki.certificateToPem(b.cert)] : []));
  if (!key || !certs.length) return { problem: 'no_key' };
  const privateKey = crypto.createPrivateKey(forge.pki.privateKeyToPem(key as forge.pki.rsa.PrivateKey));
  const publicDer = crypto.createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const own = certs.find((pem) => new crypto.X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' }).equals(publicDer));
  if (!own) return { problem: 'key_mismatch' };
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    certificatePem: own,
    chainPem: certs.filter((c) => c !== own),
  };
}

/** Why a certificate cannot sign documents at `at`: outside its validity, or no key usage for signatures. */
export function signingCertificateProblem(pem: string, at: Date): 'certificate_expired' | 'certificate_not_yet_valid' | 'key_usage' | null {
  const cert = forge.pki.certificateFromPem(pem);
  if (cert.validity.notAfter < at) return 'certificate_expired';
  if (cert.validity.notBefore > at) return 'certificate_not_yet_valid';
  // Explicit digitalSignature or nonRepudiation: a certificate without a key usage was not issued for signing.
  const usage = cert.getExtension('keyUsage') as { digitalSignature?: boolean; nonRepudiation?: boolean } | null;
  return usage && (usage.digitalSignature || usage.nonRepudiation) ? null : 'key_usage';
}
