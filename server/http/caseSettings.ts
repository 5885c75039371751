import { Router } from 'express';
import { z } from 'zod';
import { CaseSettings } from '../../db/models';
import { writeTransaction } from '../../db/transactions';
import { IdParam } from '../../protocol/ids';
import { CaseSettingsBody } from '../../protocol/personalData';
import { hasRole } from '../domain/access';
import { forbidden } from '../errors';
import { appendAudit } from '../services/audit';
import { caseSettingsOf } from '../services/caseRecords';
import { parse } from '../validation';
import { requireLogin } from './middleware';

const Params = z.object({ municipalityId: IdParam });

/** /api/case-settings/:municipalityId: the lists and retention periods in force, for the municipality's people, and an admin's changes to them (audited). */
export function caseSettingsRouter(): Router {
  const router = Router();
  router.use(requireLogin);
  router.get('/:municipalityId', async (req, res) => {
    const { municipalityId } = parse(Params, req.params);
    // The municipality's own people read them (the forms use them); another municipality's get a refusal, as everywhere.
    if (!req.principal!.memberships.some((m) => m.municipalityId === municipalityId)) throw forbidden('not a member of this municipality');
    res.json(await caseSettingsOf(municipalityId));
  });
  router.put('/:municipalityId', async (req, res) => {
    const { municipalityId } = parse(Params, req.params);
    if (!hasRole(req.principal, ['admin'], municipalityId)) throw forbidden('only an admin of the municipality sets its lists');
    const body = parse(CaseSettingsBody, req.body);
    await writeTransaction(CaseSettings.sequelize!, async (transaction) => {
      const [row] = await CaseSettings.findOrCreate({ where: { municipalityId }, transaction });
      await row.update(body, { transaction });
      await appendAudit(transaction, { actorId: req.principal!.userId, action: 'case_settings.changed', subject: `municipality:${municipalityId}`, payload: { fields: Object.keys(body).sort() } });
    });
    res.json(await caseSettingsOf(municipalityId));
  });
  return router;
}
