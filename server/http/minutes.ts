import { Router } from 'express';
import { z } from 'zod';
import { IdParam } from '../../protocol/ids';
import { MinutesPdfQuery, MinutesTextBody, SignMinutesBody } from '../../protocol/minutes';
import type { MinutesService } from '../services/minutes';
import type { MinutesSigning } from '../signing/MinutesSigning';
import type { Reauthentication } from '../signing/Reauthentication';
import { sessionFor } from '../services/sessions';
import { parse } from '../validation';
import { requireLogin } from './middleware';

const SessionParams = z.object({ sessionId: IdParam }).strict();

/**
 * /api/minutes: a session's minutes for the municipality's office and the committee (404
 * to anyone else); the secretary edits and finalizes, the secretary then the chair sign
 * (PAdES, after typing their password again); PDFs of finalized minutes as they stand (their
 * public verification is /api/verify).
 */
export function minutesRouter(minutes: MinutesService, signing: MinutesSigning, reauth: Reauthentication): Router {
  const router = Router();

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
