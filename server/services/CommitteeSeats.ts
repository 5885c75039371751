import { Op, type Sequelize, type Transaction } from 'sequelize';
import { Committee, CommitteeSeat, Membership } from '../../db/models';
import { forUpdate, writeTransaction } from '../../db/transactions';
import type { SeatBody } from '../../protocol/municipalities';
import { conflict, notFound } from '../errors';
import { appendAudit } from './audit';
import type { RightsFeed } from './RightsFeed';

/**
 * The composition of a municipality's committee as its office changes it: a seat given,
 * changed or taken away, each written with its audit entry, then published on the rights
 * feed so that a meeting in progress applies it at once (a chair who is no longer chair
 * cannot open the next item; a member taken off the committee leaves the room).
 */
export class CommitteeSeats {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly rights: RightsFeed,
  ) {}

  /** Gives `userId` the seat `body` on the municipality's committee (or changes theirs). */
  async set(actorId: number, municipalityId: number, userId: number, body: SeatBody): Promise<void> {
    const committeeId = await writeTransaction(this.sequelize, async (transaction) => {
      const committee = await this.#committee(municipalityId, transaction);
      const member = await Membership.count({ where: { municipalityId, userId, role: { [Op.ne]: 'applicant' } }, transaction });
      if (member === 0) throw conflict('only someone who works for the municipality or sits on its committee can hold a seat');
      // One chair: the meeting and the minutes look the chair up by seat.
      if (body.kind === 'chair' && (await CommitteeSeat.count({ where: { committeeId: committee.id, kind: 'chair', userId: { [Op.ne]: userId } }, transaction })) > 0) {
        throw conflict('the committee has a chair already: change that seat first');
      }
      const seat = await CommitteeSeat.findOne({ where: { committeeId: committee.id, userId }, ...forUpdate(transaction) });
      const before = seat && { kind: seat.kind, titleAr: seat.titleAr, titleFr: seat.titleFr, vetoHolder: seat.vetoHolder };
      if (seat) await seat.update(body, { transaction });
      else await CommitteeSeat.create({ committeeId: committee.id, userId, ...body }, { transaction });
      await appendAudit(transaction, { actorId, action: 'committee.seat_set', subject: `committee:${committee.id}`, payload: { userId, before, after: { ...body } } });
      return committee.id;
    });
    this.rights.publish({ kind: 'seat_changed', committeeId, userId, seat: body.kind });
  }

  /** Takes `userId` off the municipality's committee. */
  async remove(actorId: number, municipalityId: number, userId: number): Promise<void> {
    const committeeId = await writeTransaction(this.sequelize, async (transaction) => {
      const committee = await this.#committee(municipalityId, transaction);
      const seat = await CommitteeSeat.findOne({ where: { committeeId: committee.id, userId }, ...forUpdate(transaction) });
      if (!seat) throw notFound('seat');
      await seat.destroy({ transaction });
      await appendAudit(transaction, { actorId, action: 'committee.seat_removed', subject: `committee:${committee.id}`, payload: { userId, kind: seat.kind } });
      return committee.id;
    });
    this.rights.publish({ kind: 'seat_changed', committeeId, userId, seat: null });
  }

  async #committee(municipalityId: number, transaction: Transaction): Promise<Committee> {
    const committee = await Committee.findOne({ where: { municipalityId }, transaction });
    if (!committee) throw notFound('committee');
    return committee;
  }
}
