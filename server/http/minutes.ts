import type { Request } from 'express';
import { Router } from 'express';
import { z } from 'zod';
import { IdParam } from '../../protocol/ids';
import { MinutesPdfQuery, MinutesTextBody, SignMinutesBody, VerifyHashQuery } from '../../protocol/minutes';
import { AppError } from '../errors';
import type { MinutesService } from '../services/minutes';
import type { MinutesSigning } from '../signing/MinutesSigning';
import type { Reauthentication } from '../signing/Reauthentication';
import type { SigningAuthority } from '../signing/SigningAuthority';
import { sessionFor } from '../services/sessions';
import { parse } from '../validation';
import { requireLogin } from './middleware';

const SessionParams = z.object({ sessionId: IdParam }).strict();

/** Largest PDF the public verification reads: minutes are a few hundred kilobytes. */
export const VERIFY_MAX_BYTES = 20 * 1024 * 1024;

const tooLarge = () => new AppError(413, 'payload_too_large', `a minutes PDF to verify may be at most ${VERIFY_MAX_BYTES / 1048576} MB`, { maxBytes: VERIFY_MAX_BYTES });

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
 * /api/minutes: a session's minutes for the municipality's office and the committee (404
 * to anyone else); the secretary edits and finalizes, the secretary then the chair sign
 * (PAdES, after typing their password again); PDFs of finalized minutes as they stand; and
 * the public verification of a PDF (its signatures checked) or a printed hash.
 */
export function minutesRouter(minutes: MinutesService, signing: MinutesSigning, reauth: Reauthentication, authority: SigningAuthority): Router {
  const router = Router();

  // Verification is public: anyone holding a copy may check it.
  router.get('/verify', async (req, res) => {
    res.json(await signing.verifyHash(parse(VerifyHashQuery, req.query).hash));
  });

  router.post('/verify', async (req, res) => {
    if (!req.is('application/pdf')) throw new AppError(415, 'unsupported_media_type', 'send the PDF itself as application/pdf');
    if (Number(req.headers['content-length'] ?? 0) > VERIFY_MAX_BYTES) {
      req.resume();
      throw tooLarge();
    }
    const pdf = await bodyOf(req, VERIFY_MAX_BYTES);
    if (pdf.length === 0) throw new AppError(400, 'empty_file', 'the body is empty');
    res.json(await signing.verifyPdf(pdf, (code) => authority.caCertificateOf(code)));
  });

  router.use(requireLogin);

  /** The principal's recently closed sessions and where their minutes stand. */
  router.get('/', async (req, res) => {
    res.json(await minutes.recentFor(req.principal!));
  });

  router.get('/:sessionId', async (req, res) => {
    const { session } = await sessionFor(req.principal, parse(SessionParams, req.params).sessionId);
    res.json(await minutes.view(session.id));
  });

  router.patch('/:sessionId', async (req, res) => {
    const { session } = await sessionFor(req.principal, parse(SessionParams, req.params).sessionId);
    res.json(await minutes.editText(session.id, req.principal!.userId, parse(MinutesTextBody, req.body)));
  });

  router.post('/:sessionId/finalize', async (req, res) => {
    const { session } = await sessionFor(req.principal, parse(SessionParams, req.params).sessionId);
    res.json(await minutes.finalize(session.id, req.principal!.userId));
  });

  router.post('/:sessionId/signatures', async (req, res) => {
    const { session } = await sessionFor(req.principal, parse(SessionParams, req.params).sessionId);
    const { role, hash, password } = parse(SignMinutesBody, req.body);
    await reauth.check(req.principal!, password, req.ip ?? '');
    await signing.sign(session.id, req.principal!.userId, role, hash, password);
    res.status(201).json(await minutes.view(session.id));
  });

  router.get('/:sessionId/pdf', async (req, res) => {
    const { session } = await sessionFor(req.principal, parse(SessionParams, req.params).sessionId);
    const { lang } = parse(MinutesPdfQuery, req.query);
    const { pdf, content } = await minutes.pdf(session.id, lang);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="minutes-${content.municipality.code}-${content.date}-${lang}.pdf"`);
    res.setHeader('Cache-Control', 'private, no-cache');
    res.end(pdf);
  });

  return router;
}
