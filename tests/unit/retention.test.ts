import { describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION, monthsBefore, retentionVerdict, type RetainedRecord } from '../../server/domain/retention';

const at = (iso: string) => new Date(iso);
const NOW = at('2026-12-02T10:00:00Z');

describe('months before', () => {
  it.each([
    ['2026-12-02T10:00:00Z', 6, '2026-06-02T10:00:00.000Z'],
    ['2026-08-31T10:00:00Z', 6, '2026-02-28T10:00:00.000Z'],
    ['2026-03-31T00:00:00Z', 1, '2026-02-28T00:00:00.000Z'],
    ['2028-03-31T00:00:00Z', 1, '2028-02-29T00:00:00.000Z'],
    ['2026-12-02T10:00:00Z', 36, '2023-12-02T10:00:00.000Z'],
  ])('%s − %i months → %s', (now, months, expected) => {
    expect(monthsBefore(at(now), months).toISOString()).toBe(expected);
  });
});

describe('retention (Law 2004-63): what the daily job does', () => {
  it.each<[string, RetainedRecord, string]>([
    ['a draft untouched for 7 months: deleted', { kind: 'dossier', status: 'draft', updatedAt: at('2026-05-01T00:00:00Z') }, 'delete'],
    ['a draft changed 5 months ago: kept', { kind: 'dossier', status: 'draft', updatedAt: at('2026-07-01T00:00:00Z') }, 'keep'],
    ['a draft just past 6 months: deleted', { kind: 'dossier', status: 'draft', updatedAt: at('2026-06-02T09:59:59Z') }, 'delete'],
    ['a draft exactly 6 months old: kept', { kind: 'dossier', status: 'draft', updatedAt: at('2026-06-02T10:00:00Z') }, 'keep'],
    ['a submitted dossier, however old: an archive', { kind: 'dossier', status: 'submitted', updatedAt: at('2016-01-01T00:00:00Z') }, 'keep'],
    ['a withdrawn dossier: an archive', { kind: 'dossier', status: 'withdrawn', updatedAt: at('2016-01-01T00:00:00Z') }, 'keep'],
    ['a permit granted: an archive', { kind: 'dossier', status: 'permit_granted', updatedAt: at('2016-01-01T00:00:00Z') }, 'keep'],
    ['a complaint resolved 4 years ago: anonymised', { kind: 'complaint', status: 'resolved', closedAt: at('2022-11-01T00:00:00Z'), anonymised: false }, 'anonymise'],
    ['a complaint rejected 4 years ago: anonymised', { kind: 'complaint', status: 'rejected', closedAt: at('2022-11-01T00:00:00Z'), anonymised: false }, 'anonymise'],
    ['a complaint resolved 2 years ago: kept', { kind: 'complaint', status: 'resolved', closedAt: at('2024-12-01T00:00:00Z'), anonymised: false }, 'keep'],
    ['an old complaint still open: kept', { kind: 'complaint', status: 'in_progress', closedAt: null, anonymised: false }, 'keep'],
    ['a complaint already anonymised: kept as it is', { kind: 'complaint', status: 'resolved', closedAt: at('2020-01-01T00:00:00Z'), anonymised: true }, 'keep'],
    ['a request for information: the public register', { kind: 'information_request' }, 'keep'],
    ['finalized minutes: an archive', { kind: 'minutes' }, 'keep'],
    ['an opinion of the committee: an archive', { kind: 'opinion' }, 'keep'],
  ])('%s', (_name, record, verdict) => {
    expect(retentionVerdict(record, DEFAULT_RETENTION, NOW)).toBe(verdict);
  });

  it('periods are the municipality\'s own', () => {
    const draft: RetainedRecord = { kind: 'dossier', status: 'draft', updatedAt: at('2026-10-01T00:00:00Z') };
    expect(retentionVerdict(draft, { ...DEFAULT_RETENTION, draftMonths: 1 }, NOW)).toBe('delete');
    expect(retentionVerdict(draft, DEFAULT_RETENTION, NOW)).toBe('keep');
  });
});
