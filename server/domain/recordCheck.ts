/**
 * Does the record still say what the audit log recorded when it was written? Pure.
 */

export interface BallotLine {
  userId: number;
  choice: string;
}

/** The same ballots (each member's choice), in any order. */
export function sameBallots(stored: readonly BallotLine[], recorded: readonly BallotLine[] | null | undefined): boolean {
  if (!Array.isArray(recorded) || stored.length !== recorded.length) return false;
  const key = (b: BallotLine) => `${b.userId}:${b.choice}`;
  const a = stored.map(key).sort();
  const b = recorded.map(key).sort();
  return a.every((k, i) => k === b[i]);
}
