import type { Request } from 'express';
import { Router } from 'express';
import { VerifyHashQuery } from '../../protocol/minutes';
import type { DocumentVerification } from '../../protocol/verification';
import { AppError } from '../errors';
import type { Arretes } from '../signing/Arretes';
import type { MinutesSigning } from '../signing/MinutesSigning';
import type { SigningAuthority } from '../signing/SigningAuthority';
import { parse } from '../validation';

/** Largest PDF the public verification reads: minutes and arrêtés are a few hundred kilobytes. */
export const VERIFY_MAX_BYTES = 20 * 1024 * 1024;

const tooLarge = () => new AppError(413, 'payload_too_large', `a PDF to verify may be at most ${VERIFY_MAX_BYTES / 1048576} MB`, { maxBytes: VERIFY_MAX_BYTES });

/** A request's raw body, at most `limit` bytes (else 413, the rest read and dropped so the connection stays usable). */
function bodyOf(req: Request, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off('data', onData);
      req.resume();
      reject(tooLarge());
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', () => reject(new AppError(400, 'invalid_payload', 'the upload was interrupted')));
  });
}

/**
 * /api/verify, public (anyone holding a copy may check it): a PDF, or a printed or computed
 * sha256, of finalized minutes or of an arrêté; what it is and each signature checked.
 */
export function verifyRouter(minutes: MinutesSigning, arretes: Arretes, authority: SigningAuthority): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const { hash } = parse(VerifyHashQuery, req.query);
    const asMinutes = await minutes.verifyHash(hash);
    res.json((asMinutes.recognised ? asMinutes : await arretes.verifyHash(hash) ?? asMinutes) satisfies DocumentVerification);
  });

  router.post('/', async (req, res) => {
    if (!req.is('application/pdf')) throw new AppError(415, 'unsupported_media_type', 'send the PDF itself as application/pdf');
    if (Number(req.headers['content-length'] ?? 0) > VERIFY_MAX_BYTES) {
      req.resume();
      throw tooLarge();
    }
    const pdf = await bodyOf(req, VERIFY_MAX_BYTES);
    if (pdf.length === 0) throw new AppError(400, 'empty_file', 'the body is empty');
    const asMinutes = await minutes.verifyPdf(pdf, (code) => authority.caCertificateOf(code));
    res.json((asMinutes.recognised ? asMinutes : await arretes.verifyPdf(pdf) ?? asMinutes) satisfies DocumentVerification);
  });
  return router;
}
