import { Router, type Request } from 'express';
import { z } from 'zod';
import { IdParam } from '../../protocol/ids';
import { InviteGuestBody, RedeemBody, type GuestView } from '../../protocol/hearings';
import type { Config } from '../config';
import { AppError } from '../errors';
import type { Guest, HearingService } from '../services/hearings';
import type { DocumentStore } from '../services/documentStore';
import { parse } from '../validation';
import { sendContent } from './documents';
import { requireLogin } from './middleware';

/** The guest's login: a cookie of its own, so that no other route of the API sees a principal in it. */
export const GUEST_COOKIE = 'lajna_hearing';

const IdParams = z.object({ id: IdParam });
const VersionParams = z.object({ versionId: IdParam });
const SessionQuery = z.object({ sessionId: IdParam }).strict();

/** The guest behind the request's guest cookie; 401 otherwise. */
async function guestOf(req: Request, hearings: HearingService): Promise<Guest> {
  const guest = await hearings.guestFromToken(req.cookies[GUEST_COOKIE]);
  if (!guest) throw new AppError(401, 'unauthenticated', 'follow the link of your invitation');
  return guest;
}

/**
 * /api/hearings: the office and the chair invite a guest to one agenda item, list and
 * withdraw invitations; the guest follows their link once (`redeem`) and from then on reaches
 * only their own heading and their dossier's documents here, and the `/hearing` socket.
 */
export function hearingsRouter(hearings: HearingService, store: DocumentStore, config: Pick<Config, 'publicUrl'>): Router {
  const router = Router();

  router.post('/', requireLogin, async (req, res) => {
    const body = parse(InviteGuestBody, req.body);
    const baseUrl = config.publicUrl ?? `${req.protocol}://${req.get('host')}`;
    res.status(201).json(await hearings.invite(req.principal, body, baseUrl));
  });

  router.get('/', requireLogin, async (req, res) => {
    res.json(await hearings.list(req.principal, parse(SessionQuery, req.query).sessionId));
  });

  router.post('/redeem', async (req, res) => {
    const { token } = parse(RedeemBody, req.body);
    const { loginToken, guest } = await hearings.redeem(token);
    res.cookie(GUEST_COOKIE, loginToken, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/', expires: guest.expiresAt });
    res.json(guest.view satisfies GuestView);
  });

  router.get('/guest', async (req, res) => {
    res.json((await guestOf(req, hearings)).view satisfies GuestView);
  });

  router.get('/guest/documents/:versionId/content', async (req, res) => {
    const version = await hearings.guestDocument(await guestOf(req, hearings), parse(VersionParams, req.params).versionId);
    await sendContent(req, res, store.absolute(version.storagePath), Number(version.size), version.sha256, version.fileName);
  });

  router.post('/:id/revoke', requireLogin, async (req, res) => {
    res.json(await hearings.revoke(req.principal, parse(IdParams, req.params).id));
  });

  return router;
}
