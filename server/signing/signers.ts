import { Op } from 'sequelize';
import { SigningCertificate, User } from '../../db/models';
import type { SignatureCheck } from '../../protocol/signing';

/**
 * Each signature found in a PDF with the person who holds its certificate, when the
 * municipality's signing certificates (issued by its CA or imported) include it; the others
 * as they are. An unknown or forged certificate names nobody.
 */
export async function withSigners(signatures: SignatureCheck[]): Promise<SignatureCheck[]> {
  const fingerprints = signatures.flatMap((s) => (s.certificateSha256 ? [s.certificateSha256] : []));
  if (!fingerprints.length) return signatures;
  const held = await SigningCertificate.findAll({ where: { sha256: { [Op.in]: fingerprints } }, include: [User] }) as (SigningCertificate & { User?: User })[];
  const holders = new Map(held.flatMap((c) => (c.User ? [[c.sha256, { nameAr: c.User.nameAr, nameFr: c.User.nameFr }] as const] : [])));
  return signatures.map((s) => ({ ...s, signedBy: holders.get(s.certificateSha256 ?? '') ?? s.signedBy }));
}
