import { Router } from 'express';
import { z } from 'zod';
import { notFound } from '../errors';
import type { SigningAuthority } from '../signing/SigningAuthority';
import { parse } from '../validation';

const CaParams = z.object({ code: z.string().regex(/^[A-Z]{2,8}$/, 'a municipality code') }).strict();

/**
 * /api/signing: the municipality's CA certificate, public, so anyone can tell their PDF
 * reader (or pdfsig's NSS database) to trust the signatures Lajna makes for it.
 */
export function signingRouter(authority: SigningAuthority): Router {
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
  return router;
}
