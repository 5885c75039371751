import { UniqueConstraintError, type Sequelize, type Transaction } from 'sequelize';
import { writeTransaction } from '../../db/transactions';
import type { BallotChoice } from '../../protocol/voting';
import { AppError } from '../errors';

/** A ballot as a member casts it, with who was present at that moment. */
export interface CastBallot {
  voteId: number;
  userId: number;
  choice: BallotChoice;
  /** Who is in the meeting room (user ids; duplicates from reconnects are harmless). */
  present: readonly number[];
  at: Date;
}

/**
 * Writes one ballot inside its batch's transaction. `memo` is shared by the batch's ballots
 * (what it read once for all of them); an AppError refuses that ballot alone.
 */
export type RecordBallot<Result, Memo> = (transaction: Transaction, ballot: CastBallot, memo: Memo) => Promise<Result>;

interface Waiting<Result> {
  ballot: CastBallot;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

type Answer<Result> = { ok: true; result: Result } | { ok: false; error: AppError };

/**
 * The ballot box of a process (group commit): ballots cast while a batch is being written
 * wait here, then the next batch writes all of them in one transaction, so fifteen members
 * voting at once cost one or two commits instead of fifteen. Each ballot still gets its own
 * answer, only once its batch has committed; a refused ballot does not affect the others.
 */
export class BallotBox<Result, Memo> {
  readonly #waiting: Waiting<Result>[] = [];

  constructor(
    private readonly sequelize: Sequelize,
    private readonly record: RecordBallot<Result, Memo>,
    private readonly memo: () => Memo,
  ) {}

  /** Resolves once the ballot is persisted (or rejects with its refusal). */
  cast(ballot: CastBallot): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ ballot, resolve, reject });
      if (this.#waiting.length === 1) void this.#writeBatch();
    });
  }

  /**
   * Writes the ballots waiting when its transaction starts. Another process writing the same
   * member's ballot first (PostgreSQL, several app nodes) meets the unique key: the batch is
   * written again, and that ballot answered as the retry it is.
   */
  async #writeBatch(): Promise<void> {
    let batch: Waiting<Result>[] | undefined;
    const take = () => (batch ??= this.#waiting.splice(0));
    const write = () => writeTransaction(this.sequelize, async (transaction) => {
      const memo = this.memo();
      const answers: Answer<Result>[] = [];
      for (const { ballot } of take()) {
        try {
          answers.push({ ok: true, result: await this.record(transaction, ballot, memo) });
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          answers.push({ ok: false, error });
        }
      }
      return answers;
    });
    try {
      const answers = await write().catch((error: unknown) => {
        if (error instanceof UniqueConstraintError) return write();
        throw error;
      });
      answers.forEach((a, i) => (a.ok ? batch![i]!.resolve(a.result) : batch![i]!.reject(a.error)));
    } catch (error) {
      for (const w of take()) w.reject(error);
    }
  }
}
