import { Router } from 'express';
import { z } from 'zod';
import { IdParam } from '../../protocol/ids';
import { SIGNER_ROLES } from '../../protocol/minutes';
import { ImportCertificateBody, ImportCertificateForBody, PKCS12_MAX_BYTES, type MunicipalSigners, type SigningCertificateView } from '../../protocol/signing';
import { AppError, forbidden, notFound } from '../errors';
import type { Reauthentication } from '../signing/Reauthentication';
import { SigningAuthority } from '../signing/SigningAuthority';
import { parse } from '../validation';
import { requireLogin, requireRole } from './middleware';

const CaParams = z.object({ code: z.string().regex(/^[A-Z]{2,8}$/, 'a municipality code') }).strict();
const MunicipalityParams = z.object({ id: IdParam }).strict();
const SignerParams = z.object({ id: IdParam, userId: IdParam }).strict();

/** A PKCS#12 file's bytes from its base64; over PKCS12_MAX_BYTES, 413. */
function pkcs12Bytes(base64: string): Buffer {
  const file = Buffer.from(base64, 'base64');
  if (file.length > PKCS12_MAX_BYTES) throw new AppError(413, 'payload_too_large', `a PKCS#12 file may be at most ${PKCS12_MAX_BYTES / 1024} kB`, { maxBytes: PKCS12_MAX_BYTES });
  return file;
}

/**
 * /api/signing: the municipality's CA certificate, public, so anyone can tell their PDF
 * reader (or pdfsig's NSS database) to trust the signatures Lajna makes for it; the
 * certificates a signer signs with, to which they may add their own PKCS#12 (TunTrust's);
 * and, for a municipality's admin, its signers with their certificates, and the import of a
 * PKCS#12 for one of them.
 */
export function signingRouter(authority: SigningAuthority, reauth: Reauthentication): Router {
  const router = Router();
  router.get('/ca/:code', async (req, res) => {
    const { code } = parse(CaParams, req.params);
    const pem = await authority.caCertificateOf(code);
    if (!pem) throw notFound('municipality');
    res.setHeader('Content-Type', 'application/x-pem-file');
    res.setHeader('Content-Disposition', `attachment; filename="lajna-ca-${code}.pem"`);
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.end(pem);
  });

  router.get('/certificates', requireLogin, async (req, res) => {
    res.json(await SigningAuthority.certificatesOf(req.principal!.userId) satisfies SigningCertificateView[]);
  });

  // The person themselves, with the file's password and their own: the key is kept locked under the latter.
  router.post('/certificates', requireLogin, async (req, res) => {
    const body = parse(ImportCertificateBody, req.body);
    const principal = req.principal!;
    if (!principal.memberships.some((m) => m.municipalityId === body.municipalityId && (SIGNER_ROLES as readonly string[]).includes(m.role))) {
      throw forbidden('only the municipality\'s secretary and president sign its documents');
    }
    const file = pkcs12Bytes(body.file);
    await reauth.check(principal, body.password, req.ip ?? '');
    await authority.importPkcs12({ userId: principal.userId, municipalityId: body.municipalityId }, file, body.filePassword, { accountPassword: body.password });
    res.status(201).json(await SigningAuthority.certificatesOf(principal.userId) satisfies SigningCertificateView[]);
  });

  const admin = requireRole(['admin'], (req) => parse(MunicipalityParams.passthrough(), req.params).id);
  router.get('/municipalities/:id/signers', admin, async (req, res) => {
    res.json(await SigningAuthority.signersOf(parse(MunicipalityParams, req.params).id) satisfies MunicipalSigners);
  });

  // The admin, for one of the municipality's signers: the key is kept locked under the server's passphrase until its holder signs.
  router.post('/municipalities/:id/signers/:userId/certificates', admin, async (req, res) => {
    const { id, userId } = parse(SignerParams, req.params);
    const body = parse(ImportCertificateForBody, req.body);
    if (!(await SigningAuthority.signersOf(id)).signers.some((s) => s.userId === userId)) throw notFound('signer');
    await authority.importPkcs12({ userId, municipalityId: id }, pkcs12Bytes(body.file), body.filePassword, { importedBy: req.principal!.userId });
    res.status(201).json(await SigningAuthority.signersOf(id) satisfies MunicipalSigners);
  });
  return router;
}
