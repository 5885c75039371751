import type { DossierAction, DossierStatus } from '../../protocol/dossiers';

/** Who acts on a dossier: its applicant, the municipality's office (secretary or admin), or the committee in session. */
export type DossierActor = 'applicant' | 'office' | 'committee';

interface Transition {
  from: readonly DossierStatus[];
  /** Several targets: the step's outcome picks one (the committee's opinion, the permit decision). */
  to: DossierStatus | readonly DossierStatus[];
  by: readonly DossierActor[];
}

const BEFORE_OPINION: readonly DossierStatus[] = ['draft', 'submitted', 'incomplete', 'complete', 'scheduled'];

/** The lifecycle table: the only place that says which action leads where, and who may take it. */
export const TRANSITIONS: Record<DossierAction, Transition> = {
  submit: { from: ['draft'], to: 'submitted', by: ['applicant'] },
  request_documents: { from: ['submitted', 'complete'], to: 'incomplete', by: ['office'] },
  resubmit: { from: ['incomplete'], to: 'submitted', by: ['applicant'] },
  mark_complete: { from: ['submitted'], to: 'complete', by: ['office'] },
  // A deferred dossier goes on a later session's agenda.
  schedule: { from: ['complete', 'deferred'], to: 'scheduled', by: ['office'] },
  // The office takes it off a planned agenda; a session that ends without its opinion gives it back.
  unschedule: { from: ['scheduled'], to: 'complete', by: ['office', 'committee'] },
  record_opinion: { from: ['scheduled'], to: ['favourable', 'favourable_with_conditions', 'unfavourable', 'deferred'], by: ['committee'] },
  // The president decides on the committee's opinion; a deferred dossier has none yet.
  record_decision: { from: ['favourable', 'favourable_with_conditions', 'unfavourable'], to: ['permit_granted', 'permit_refused'], by: ['office'] },
  withdraw: { from: BEFORE_OPINION, to: 'withdrawn', by: ['applicant'] },
};

export type TransitionResult = { ok: true; to: DossierStatus } | { ok: false; reason: 'wrong_status' | 'wrong_actor' | 'wrong_outcome' };

/**
 * Whether `actor` may take `action` on a dossier in `status`, and where it leads. For a
 * step with several targets, `outcome` names the one reached and must be one of them.
 */
export function transition(status: DossierStatus, action: DossierAction, actor: DossierActor, outcome?: DossierStatus): TransitionResult {
  const t = TRANSITIONS[action];
  if (!t.by.includes(actor)) return { ok: false, reason: 'wrong_actor' };
  if (!t.from.includes(status)) return { ok: false, reason: 'wrong_status' };
  if (typeof t.to === 'string') return outcome === undefined || outcome === t.to ? { ok: true, to: t.to } : { ok: false, reason: 'wrong_outcome' };
  return outcome !== undefined && t.to.includes(outcome) ? { ok: true, to: outcome } : { ok: false, reason: 'wrong_outcome' };
}

/** The applicant may change the dossier's content (figures, documents) only while it is theirs to complete. */
export function applicantMayEdit(status: DossierStatus): boolean {
  return status === 'draft' || status === 'incomplete';
}
