import { complaintClosed } from './complaints';

/**
 * What may be erased of a person's records when they ask (Law 2004-63), and why not when it
 * may not: the rule an admin's answer to a deletion request is made of.
 */
export type ErasureKind = 'dossier' | 'information_request' | 'complaint' | 'committee_record' | 'login_session';
export type ErasureHow = 'delete' | 'anonymise' | 'keep';
export type ErasureReason =
  | 'never_submitted' | 'permit_archive' | 'register_without_identity' | 'case_open' | 'case_closed' | 'committee_archive' | 'no_longer_needed';

export interface ErasureVerdict {
  how: ErasureHow;
  reason: ErasureReason;
}

export function erasureVerdict(kind: ErasureKind, status = ''): ErasureVerdict {
  switch (kind) {
    case 'dossier':
      // A submitted permit request is an administrative record the municipality must keep.
      return status === 'draft' ? { how: 'delete', reason: 'never_submitted' } : { how: 'keep', reason: 'permit_archive' };
    case 'information_request':
      // The register and the annual report keep the request; who asked can go.
      return { how: 'anonymise', reason: 'register_without_identity' };
    case 'complaint':
      return complaintClosed(status) ? { how: 'anonymise', reason: 'case_closed' } : { how: 'keep', reason: 'case_open' };
    case 'committee_record':
      // Attendance, seats and ballots are part of the minutes, which are archives.
      return { how: 'keep', reason: 'committee_archive' };
    case 'login_session':
      return { how: 'delete', reason: 'no_longer_needed' };
  }
}

/** The account itself: deleted when nothing of the person is kept, else kept with the name the kept records carry. */
export function accountVerdict(verdicts: readonly ErasureVerdict[]): ErasureVerdict {
  return verdicts.some((v) => v.how === 'keep') ? { how: 'keep', reason: verdicts.find((v) => v.how === 'keep')!.reason } : { how: 'delete', reason: 'no_longer_needed' };
}
