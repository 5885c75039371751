import { Op } from 'sequelize';
import { AgendaItem, AuditEntryRow, Ballot, Vote } from '../../db/models';
import { sameBallots, type BallotLine } from '../domain/recordCheck';
import { AppError } from '../errors';
import { verifyAuditLog } from './audit';

/**
 * Before minutes are finalized (and so printed and signed): the audit log must verify, and
 * each closed vote's ballots must be those its `vote.closed` entry recorded. An insider who
 * edits a ballot row, or a ballot row and the log's entry with its hashes recomputed, is
 * refused here with 409 `record_mismatch` rather than printed into the minutes.
 */
export async function checkSessionAgainstAudit(sessionId: number): Promise<void> {
  const verdict = await verifyAuditLog();
  if (!verdict.ok) {
    throw new AppError(409, 'record_mismatch', `the audit log does not verify from entry ${verdict.seq} (${verdict.problem}): the minutes cannot be finalized`, { seq: verdict.seq, problem: verdict.problem });
  }
  const items = await AgendaItem.findAll({ where: { sessionId }, attributes: ['id'] });
  const votes = await Vote.findAll({ where: { agendaItemId: { [Op.in]: items.map((i) => i.id) }, status: 'closed' }, order: [['id', 'ASC']] });
  for (const vote of votes) {
    const entry = await AuditEntryRow.findOne({ where: { action: 'vote.closed', subject: `vote:${vote.id}` }, order: [['seq', 'DESC']] });
    const recorded = entry ? (JSON.parse(entry.payload) as { ballots?: BallotLine[] }).ballots : null;
    const ballots = await Ballot.findAll({ where: { voteId: vote.id } });
    if (!sameBallots(ballots.map((b) => ({ userId: b.userId, choice: b.choice })), recorded)) {
      throw new AppError(409, 'record_mismatch', `the ballots of vote ${vote.id} are not those the audit log recorded when it closed`, { voteId: vote.id, seq: entry?.seq ?? null });
    }
  }
}
