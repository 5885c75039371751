import { Router } from 'express';
import { z } from 'zod';
import { ImportCertificateBody, PKCS12_MAX_BYTES, type SigningCertificateView } from '../../protocol/signing';
import { AppError, forbidden, notFound } from '../errors';
import type { Reauthentication } from '../signing/Reauthentication';
import { SigningAuthority } from '../signing/SigningAuthority';
import { parse } from '../validation';
import { requireLogin } from './middleware';

const CaParams = z.object({ code: z.string().regex(/^[A-Z]{2,8}$/, 'a municipality code') }).strict();
/** Who signs documents for a municipality, hence may bring a certificate to sign with. */
const SIGNING_ROLES = ['secretary', 'chair'];

/**
 * /api/signing: the municipality's CA certificate, public, so anyone can tell their PDF
 * reader (or pdfsig's NSS database) to trust the signatures Lajna makes for it; and the
 * certificates a signer signs with, to which they may add their own PKCS#12 (TunTrust's).
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
    if (!principal.memberships.some((m) => m.municipalityId === body.municipalityId && SIGNING_ROLES.includes(m.role))) {
      throw forbidden('only the municipality\'s secretary and president sign its documents');
    }
    const file = Buffer.from(body.file, 'base64');
    if (file.length > PKCS12_MAX_BYTES) throw new AppError(413, 'payload_too_large', `a PKCS#12 file may be at most ${PKCS12_MAX_BYTES / 1024} kB`, { maxBytes: PKCS12_MAX_BYTES });
    await reauth.check(principal, body.password, req.ip ?? '');
    await authority.importPkcs12({ userId: principal.userId, municipalityId: body.municipalityId }, file, body.filePassword, body.password);
    res.status(201).json(await SigningAuthority.certificatesOf(principal.userId) satisfies SigningCertificateView[]);
  });
  return router;
}
