import type { InformationStatus } from '../../protocol/informationRequests';

/** Who acts on a request: its requester, the municipality's information officer, or the head of the body (an admin) on an appeal. */
export type InformationActor = 'requester' | 'officer' | 'head';

export const INFORMATION_ACTIONS = ['extend', 'redirect', 'answer', 'refuse', 'appeal', 'decide_appeal'] as const;
export type InformationAction = (typeof INFORMATION_ACTIONS)[number];

const OPEN: readonly InformationStatus[] = ['received', 'extended'];

/**
 * The lifecycle table. An appeal lies against a refusal, given or implied by silence (the
 * clock decides the latter, and whether the appeal's 20 days still run); an appeal the head
 * overturns goes back to the officer, who answers.
 */
export const INFORMATION_TRANSITIONS: Record<InformationAction, { from: readonly InformationStatus[]; to: InformationStatus; by: InformationActor }> = {
  extend: { from: ['received'], to: 'extended', by: 'officer' },
  redirect: { from: OPEN, to: 'redirected', by: 'officer' },
  answer: { from: [...OPEN, 'appeal_decided'], to: 'answered', by: 'officer' },
  refuse: { from: OPEN, to: 'refused', by: 'officer' },
  appeal: { from: [...OPEN, 'refused'], to: 'appealed', by: 'requester' },
  decide_appeal: { from: ['appealed'], to: 'appeal_decided', by: 'head' },
};

export type InformationStep = { ok: true; to: InformationStatus } | { ok: false; reason: 'wrong_actor' | 'wrong_status' };

/** Whether `actor` may take `action` on a request in `status`; the delays are checked besides (informationDelays). */
export function informationStep(status: InformationStatus, action: InformationAction, actor: InformationActor): InformationStep {
  const t = INFORMATION_TRANSITIONS[action];
  if (t.by !== actor) return { ok: false, reason: 'wrong_actor' };
  if (!t.from.includes(status)) return { ok: false, reason: 'wrong_status' };
  return { ok: true, to: t.to };
}
