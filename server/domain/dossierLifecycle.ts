import type { DossierAction, DossierStatus } from '../../protocol/dossiers';

/** Who acts on a dossier: its applicant, or the municipality's office (secretary or admin). */
export type DossierActor = 'applicant' | 'office';

interface Transition {
  from: readonly DossierStatus[];
  to: DossierStatus;
  by: readonly DossierActor[];
}

const BEFORE_OPINION: readonly DossierStatus[] = ['draft', 'submitted', 'incomplete', 'complete', 'scheduled'];

/** The lifecycle table: the only place that says which action leads where, and who may take it. */
export const TRANSITIONS: Record<DossierAction, Transition> = {
  submit: { from: ['draft'], to: 'submitted', by: ['applicant'] },
  request_documents: { from: ['submitted', 'complete'], to: 'incomplete', by: ['office'] },
  resubmit: { from: ['incomplete'], to: 'submitted', by: ['applicant'] },
  mark_complete: { from: ['submitted'], to: 'complete', by: ['office'] },
  schedule: { from: ['complete'], to: 'scheduled', by: ['office'] },
  unschedule: { from: ['scheduled'], to: 'complete', by: ['office'] },
  withdraw: { from: BEFORE_OPINION, to: 'withdrawn', by: ['applicant'] },
};

export type TransitionResult = { ok: true; to: DossierStatus } | { ok: false; reason: 'wrong_status' | 'wrong_actor' };

/** Whether `actor` may take `action` on a dossier in `status`, and where it leads. */
export function transition(status: DossierStatus, action: DossierAction, actor: DossierActor): TransitionResult {
  const t = TRANSITIONS[action];
  if (!t.by.includes(actor)) return { ok: false, reason: 'wrong_actor' };
  if (!t.from.includes(status)) return { ok: false, reason: 'wrong_status' };
  return { ok: true, to: t.to };
}

/** The applicant may change the dossier's content (figures, documents) only while it is theirs to complete. */
export function applicantMayEdit(status: DossierStatus): boolean {
  return status === 'draft' || status === 'incomplete';
}
