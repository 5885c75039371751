import { Router } from 'express';
import { z } from 'zod';
import { Committee, CommitteeSession } from '../../db/models';
import { writeTransaction } from '../../db/transactions';
import { IdParam } from '../../protocol/ids';
import { AgendaBody, ConveneBody, CreateSessionBody } from '../../protocol/sessions';
import type { Config } from '../config';
import { hasRole } from '../domain/access';
import { forbidden, notFound } from '../errors';
import { convene, sessionFor, sessionView, setAgenda, upcomingSessionsFor } from '../services/sessions';
import { parse } from '../validation';
import { requireLogin } from './middleware';

const IdParams = z.object({ id: IdParam });

/**
 * /api/sessions: the secretary plans committee sessions, sets their agenda and convenes the
 * members; members and the chair see their upcoming sessions. Unknown or foreign ids → 404.
 */
export function sessionsRouter(config: Config): Router {
  const router = Router();
  router.use(requireLogin);

  router.get('/', async (req, res) => {
    res.json(await upcomingSessionsFor(req.principal!));
  });

  router.post('/', async (req, res) => {
    const body = parse(CreateSessionBody, req.body);
    if (!hasRole(req.principal, ['secretary'], body.municipalityId)) throw forbidden('only the secretary plans sessions');
    const committee = await Committee.findOne({ where: { municipalityId: body.municipalityId } });
    if (!committee) throw notFound('committee');
    const session = await writeTransaction(CommitteeSession.sequelize!, (transaction) =>
      CommitteeSession.create({ committeeId: committee.id, startsAt: new Date(body.startsAt), mode: body.mode, location: body.location }, { transaction }));
    res.status(201).json(await sessionView(session, committee));
  });

  /** The session, its committee and agenda with each dossier's current documents (for the meeting room and the viewer). */
  router.get('/:id', async (req, res) => {
    const { session, committee } = await sessionFor(req.principal, parse(IdParams, req.params).id);
    res.json(await sessionView(session, committee));
  });

  router.put('/:id/agenda', async (req, res) => {
    const { session, committee, viewer } = await sessionFor(req.principal, parse(IdParams, req.params).id);
    if (viewer !== 'office') throw forbidden('only the secretary sets the agenda');
    await setAgenda(req.principal!, session, committee, parse(AgendaBody, req.body).dossierIds);
    res.json(await sessionView(session, committee));
  });

  router.post('/:id/convene', async (req, res) => {
    const { session, committee, viewer } = await sessionFor(req.principal, parse(IdParams, req.params).id);
    if (viewer !== 'office') throw forbidden('only the secretary convenes');
    res.status(202).json(await convene(session, committee, config, parse(ConveneBody, req.body ?? {}).again));
  });

  return router;
}
