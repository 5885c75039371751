import crypto from 'node:crypto';
import type { Request } from 'express';
import { Router } from 'express';
import { z } from 'zod';
import { IdParam } from '../../protocol/ids';
import { MinutesPdfQuery, MinutesTextBody, SignMinutesBody, VerifyHashQuery } from '../../protocol/minutes';
import { AppError } from '../errors';
import type { MinutesService } from '../services/minutes';
import { sessionFor } from '../services/sessions';
import { parse } from '../validation';
import { requireLogin } from './middleware';

const SessionParams = z.object({ sessionId: IdParam }).strict();

/** Largest PDF the public verification reads: minutes are a few hundred kilobytes. */
export const VERIFY_MAX_BYTES = 20 * 1024 * 1024;

const tooLarge = () => new AppError(413, 'payload_too_large', `a minutes PDF to verify may be at most ${VERIFY_MAX_BYTES / 1048576} MB`, { maxBytes: VERIFY_MAX_BYTES });

/** The sha256 of a request's raw body, hashed as it streams in (never held whole); over `limit` → 413. */
function sha256OfBody(req: Request, limit: number): Promise<{ sha256: string; size: number }> {
  return new Promise((resolve, reject) => {
    const hash = crypto.createHash('sha256');
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void hash.update(chunk);
      // Answer now; the rest of the body is read and dropped so the connection stays usable.
      req.off('data', onData);
      req.resume();
      reject(tooLarge());
    };
    req.on('data', onData);
    req.once('end', () => resolve({ sha256: hash.digest('hex'), size }));
    req.once('error', () => reject(new AppError(400, 'invalid_payload', 'the upload was interrupted')));
  });
}

/**
 * /api/minutes: a session's minutes for the municipality's office and the committee (404
 * to anyone else); the secretary edits and finalizes, the secretary then the chair sign;
 * PDFs of finalized minutes; and the public verification of a PDF or a printed hash.
 */
export function minutesRouter(minutes: MinutesService): Router {
  const router = Router();

  // Verification is public: anyone holding a copy may check it.
  router.get('/verify', async (req, res) => {
    res.json(await minutes.verifyHash(parse(VerifyHashQuery, req.query).hash));
  });

  router.post('/verify', async (req, res) => {
    if (!req.is('application/pdf')) throw new AppError(415, 'unsupported_media_type', 'send the PDF itself as application/pdf');
    if (Number(req.headers['content-length'] ?? 0) > VERIFY_MAX_BYTES) {
      req.resume();
      throw tooLarge();
    }
    const { sha256, size } = await sha256OfBody(req, VERIFY_MAX_BYTES);
    if (size === 0) throw new AppError(400, 'empty_file', 'the body is empty');
    res.json(await minutes.verifyHash(sha256));
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
    const { role, hash } = parse(SignMinutesBody, req.body);
    res.status(201).json(await minutes.sign(session.id, req.principal!.userId, role, hash));
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
