import { describe, expect, it } from 'vitest';
import { DOSSIER_ACTIONS, DOSSIER_STATUSES, type DossierAction, type DossierStatus } from '../../protocol/dossiers';
import { applicantMayEdit, transition, type DossierActor } from '../../server/domain/dossierLifecycle';

// Every allowed step (with its outcome where the step has several); everything else in status × action × actor is refused.
const ALLOWED: [DossierStatus, DossierAction, DossierActor, DossierStatus][] = [
  ['draft', 'submit', 'applicant', 'submitted'],
  ['submitted', 'request_documents', 'office', 'incomplete'],
  ['complete', 'request_documents', 'office', 'incomplete'],
  ['incomplete', 'resubmit', 'applicant', 'submitted'],
  ['submitted', 'mark_complete', 'office', 'complete'],
  ['complete', 'schedule', 'office', 'scheduled'],
  ['scheduled', 'unschedule', 'office', 'complete'],
  // A session that ends without the dossier's opinion gives it back.
  ['scheduled', 'unschedule', 'committee', 'complete'],
  ['deferred', 'schedule', 'office', 'scheduled'],
  ['scheduled', 'record_opinion', 'committee', 'favourable'],
  ['scheduled', 'record_opinion', 'committee', 'favourable_with_conditions'],
  ['scheduled', 'record_opinion', 'committee', 'unfavourable'],
  ['scheduled', 'record_opinion', 'committee', 'deferred'],
  ['favourable', 'record_decision', 'office', 'permit_granted'],
  ['favourable', 'record_decision', 'office', 'permit_refused'],
  ['favourable_with_conditions', 'record_decision', 'office', 'permit_granted'],
  ['favourable_with_conditions', 'record_decision', 'office', 'permit_refused'],
  ['unfavourable', 'record_decision', 'office', 'permit_granted'],
  ['unfavourable', 'record_decision', 'office', 'permit_refused'],
  ['draft', 'withdraw', 'applicant', 'withdrawn'],
  ['submitted', 'withdraw', 'applicant', 'withdrawn'],
  ['incomplete', 'withdraw', 'applicant', 'withdrawn'],
  ['complete', 'withdraw', 'applicant', 'withdrawn'],
  ['scheduled', 'withdraw', 'applicant', 'withdrawn'],
];

describe('dossier lifecycle', () => {
  it.each(ALLOWED)('%s --%s by %s--> %s', (from, action, actor, to) => {
    expect(transition(from, action, actor, to)).toEqual({ ok: true, to });
  });

  const refused = DOSSIER_STATUSES.flatMap((s) => DOSSIER_ACTIONS.flatMap((a) => (['applicant', 'office', 'committee'] as const).map((actor) => [s, a, actor] as const)))
    .filter(([s, a, actor]) => !ALLOWED.some(([s2, a2, actor2]) => s === s2 && a === a2 && actor === actor2));

  it.each(refused)('refuses %s --%s by %s', (status, action, actor) => {
    for (const outcome of [undefined, ...DOSSIER_STATUSES]) expect(transition(status, action, actor, outcome).ok).toBe(false);
  });

  it.each([
    ['scheduled', 'record_opinion', 'committee', undefined],
    ['scheduled', 'record_opinion', 'committee', 'permit_granted'],
    ['favourable', 'record_decision', 'office', 'unfavourable'],
    ['draft', 'submit', 'applicant', 'complete'],
  ] as const)('refuses an outcome the step cannot reach: %s --%s by %s → %s', (status, action, actor, outcome) => {
    expect(transition(status, action, actor, outcome)).toEqual({ ok: false, reason: 'wrong_outcome' });
  });

  it.each([
    ['draft', 'submit', 'office', 'wrong_actor'],
    ['submitted', 'mark_complete', 'applicant', 'wrong_actor'],
    ['submitted', 'submit', 'applicant', 'wrong_status'],
    ['withdrawn', 'request_documents', 'office', 'wrong_status'],
    ['favourable', 'withdraw', 'applicant', 'wrong_status'],
    ['deferred', 'record_decision', 'office', 'wrong_status'],
    ['scheduled', 'record_opinion', 'office', 'wrong_actor'],
  ] as const)('says why: %s --%s by %s → %s', (status, action, actor, reason) => {
    expect(transition(status, action, actor)).toEqual({ ok: false, reason });
  });

  it.each([
    ['draft', true], ['incomplete', true], ['submitted', false], ['complete', false], ['scheduled', false], ['withdrawn', false],
  ] as const)('applicant may edit a %s dossier: %s', (status, may) => {
    expect(applicantMayEdit(status)).toBe(may);
  });
});
