import { describe, expect, it } from 'vitest';
import { accountVerdict, erasureVerdict } from '../../server/domain/erasure';

describe('what a deletion request may erase (Law 2004-63)', () => {
  it.each([
    ['dossier', 'draft', { how: 'delete', reason: 'never_submitted' }],
    ['dossier', 'submitted', { how: 'keep', reason: 'permit_archive' }],
    ['dossier', 'withdrawn', { how: 'keep', reason: 'permit_archive' }],
    ['dossier', 'permit_granted', { how: 'keep', reason: 'permit_archive' }],
    ['information_request', 'answered', { how: 'anonymise', reason: 'register_without_identity' }],
    ['information_request', 'received', { how: 'anonymise', reason: 'register_without_identity' }],
    ['complaint', 'received', { how: 'keep', reason: 'case_open' }],
    ['complaint', 'in_progress', { how: 'keep', reason: 'case_open' }],
    ['complaint', 'resolved', { how: 'anonymise', reason: 'case_closed' }],
    ['complaint', 'rejected', { how: 'anonymise', reason: 'case_closed' }],
    ['committee_record', '', { how: 'keep', reason: 'committee_archive' }],
    ['login_session', '', { how: 'delete', reason: 'no_longer_needed' }],
  ] as const)('%s %s → %j', (kind, status, verdict) => {
    expect(erasureVerdict(kind, status)).toEqual(verdict);
  });

  it.each([
    ['nothing kept: the account goes', [{ how: 'delete', reason: 'never_submitted' }, { how: 'anonymise', reason: 'case_closed' }], { how: 'delete', reason: 'no_longer_needed' }],
    ['a permit record kept: so is the account', [{ how: 'delete', reason: 'never_submitted' }, { how: 'keep', reason: 'permit_archive' }], { how: 'keep', reason: 'permit_archive' }],
    ['no records at all', [], { how: 'delete', reason: 'no_longer_needed' }],
  ] as const)('%s', (_name, verdicts, expected) => {
    expect(accountVerdict(verdicts)).toEqual(expected);
  });
});
