import { Op } from 'sequelize';
import type { z } from 'zod';
import { CommitteeOpinion, Dossier, PermitDecision } from '../../db/models';
import { writeTransaction } from '../../db/transactions';
import { formatDay } from '../../protocol/municipalTime';
import type { RecordDecisionBody } from '../../protocol/opinions';
import type { Principal } from '../domain/access';
import { AppError, conflict } from '../errors';
import { appendAudit } from './audit';
import { notifyApplicant } from '../notifications/outbox';
import { transitionIn } from './dossiers';

type DecisionInput = z.output<typeof RecordDecisionBody>;

/**
 * The municipality's decision on a permit (the president's arrêté), recorded by its office
 * after the committee's opinion, as a record of its own: the decision, the dossier's step
 * to permit granted or refused with its timeline entry, the applicant's email and an audit
 * entry, in one transaction. One decision per dossier.
 */
export async function recordDecision(principal: Principal, dossierId: number, body: DecisionInput, at = new Date()): Promise<PermitDecision> {
  return writeTransaction(Dossier.sequelize!, async (transaction) => {
    if (await PermitDecision.findOne({ where: { dossierId }, transaction })) throw conflict('the decision on this dossier is already recorded');
    const opinion = await CommitteeOpinion.findOne({ where: { dossierId, opinion: { [Op.ne]: 'deferred' } }, order: [['id', 'DESC']], transaction });
    if (!opinion) throw new AppError(409, 'invalid_transition', 'the committee has given no opinion to decide on');
    const granted = body.outcome === 'granted';
    let decision!: PermitDecision;
    await transitionIn(transaction, principal, dossierId, 'office', {
      action: 'record_decision', outcome: granted ? 'permit_granted' : 'permit_refused',
      note: [`Arrêté — قرار ${body.arreteNumber} (${formatDay(body.signedOn)})`, ...(body.notes ? [body.notes] : [])].join('\n'),
      also: async (d, t) => {
        decision = await PermitDecision.create({ dossierId, opinionId: opinion.id, recordedById: principal.userId, ...body, recordedAt: at }, { transaction: t });
        await notifyApplicant(d, {
          kind: 'decision', reference: d.reference ?? String(d.id), outcome: body.outcome, arreteNumber: body.arreteNumber, signedOn: body.signedOn, notes: body.notes,
        }, t);
        await appendAudit(t, {
          at, actorId: principal.userId, action: 'dossier.decision', subject: `dossier:${dossierId}`,
          payload: { decisionId: decision.id, opinionId: opinion.id, outcome: body.outcome, arreteNumber: body.arreteNumber, signedOn: body.signedOn },
        });
      },
    });
    return decision;
  });
}
