import { describe, expect, it } from 'vitest';
import { clockSpans, deadline, legalDays } from '../../server/domain/deadlines';
import { formatReference } from '../../server/domain/reference';

const d = (iso: string) => new Date(`${iso}T10:00:00Z`);

describe('legal days (CATU art. 69)', () => {
  it.each([
    [false, false, 45],
    [false, true, 60],
    [true, false, 90],
    [true, true, 90],
  ])('near protected site %s, local plan in drafting %s → %i days', (nearProtectedSite, localPlanInDrafting, days) => {
    expect(legalDays({ nearProtectedSite, localPlanInDrafting })).toBe(days);
  });
});

describe('deadline', () => {
  it.each([
    // days, spans, now, expected
    ['not started', 45, [], '2026-03-01', { dueOn: null, daysRemaining: null, paused: false, overdue: false }],
    ['T0 today', 45, [{ from: d('2026-03-01'), until: null }], '2026-03-01', { dueOn: '2026-04-15', daysRemaining: 45, paused: false, overdue: false }],
    ['10 days in', 45, [{ from: d('2026-03-01'), until: null }], '2026-03-11', { dueOn: '2026-04-15', daysRemaining: 35, paused: false, overdue: false }],
    ['60 days, 1 day in', 60, [{ from: d('2026-03-01'), until: null }], '2026-03-02', { dueOn: '2026-04-30', daysRemaining: 59, paused: false, overdue: false }],
    ['90 days, due today', 90, [{ from: d('2026-01-01'), until: null }], '2026-04-01', { dueOn: '2026-04-01', daysRemaining: 0, paused: false, overdue: false }],
    ['overdue by 2', 45, [{ from: d('2026-03-01'), until: null }], '2026-04-17', { dueOn: '2026-04-15', daysRemaining: -2, paused: false, overdue: true }],
    ['paused after 10 days', 45, [{ from: d('2026-03-01'), until: d('2026-03-11') }], '2026-05-30', { dueOn: null, daysRemaining: 35, paused: true, overdue: false }],
    ['resumed: the pause does not count', 45,
      [{ from: d('2026-03-01'), until: d('2026-03-11') }, { from: d('2026-03-21'), until: null }], '2026-03-21',
      { dueOn: '2026-04-25', daysRemaining: 35, paused: false, overdue: false }],
    ['two pauses', 45,
      [{ from: d('2026-03-01'), until: d('2026-03-06') }, { from: d('2026-03-10'), until: d('2026-03-15') }, { from: d('2026-04-01'), until: null }], '2026-04-11',
      { dueOn: '2026-05-06', daysRemaining: 25, paused: false, overdue: false }],
  ] as const)('%s', (_name, days, spans, now, expected) => {
    expect(deadline(days, spans as never, d(now))).toEqual({ days, ...expected });
  });
});

describe('clock spans from the timeline', () => {
  const e = (toStatus: string, at: string, fromStatus: string | null = null) => ({ toStatus, fromStatus, at: d(at) });
  it.each([
    ['never complete', [e('draft', '2026-01-01'), e('submitted', '2026-01-02')], []],
    ['complete, running', [e('submitted', '2026-01-02'), e('complete', '2026-01-05')], [{ from: d('2026-01-05'), until: null }]],
    ['scheduled keeps it running', [e('complete', '2026-01-05'), e('scheduled', '2026-01-08')], [{ from: d('2026-01-05'), until: null }]],
    ['request for documents pauses, complete resumes', [e('complete', '2026-01-05'), e('incomplete', '2026-01-09'), e('submitted', '2026-01-12'), e('complete', '2026-01-13')],
      [{ from: d('2026-01-05'), until: d('2026-01-09') }, { from: d('2026-01-13'), until: null }]],
    ['unscheduled back to complete does not restart', [e('complete', '2026-01-05'), e('scheduled', '2026-01-06'), e('complete', '2026-01-07')], [{ from: d('2026-01-05'), until: null }]],
    ['withdrawn stops it', [e('complete', '2026-01-05'), e('withdrawn', '2026-01-07')], [{ from: d('2026-01-05'), until: d('2026-01-07') }]],
    ['an opinion keeps it running (the decision is still due)', [e('complete', '2026-01-05'), e('scheduled', '2026-01-06'), e('favourable', '2026-01-20')], [{ from: d('2026-01-05'), until: null }]],
    ['deferred and scheduled again keeps it running', [e('complete', '2026-01-05'), e('deferred', '2026-01-20'), e('scheduled', '2026-01-22')], [{ from: d('2026-01-05'), until: null }]],
    ['the permit decision stops it', [e('complete', '2026-01-05'), e('favourable', '2026-01-20'), e('permit_granted', '2026-01-25')], [{ from: d('2026-01-05'), until: d('2026-01-25') }]],
    ['a refusal stops it too', [e('complete', '2026-01-05'), e('unfavourable', '2026-01-20'), e('permit_refused', '2026-01-28')], [{ from: d('2026-01-05'), until: d('2026-01-28') }]],
  ] as const)('%s', (_name, events, spans) => {
    expect(clockSpans(events)).toEqual(spans);
  });
});

describe('reference', () => {
  it.each([
    ['ADR', 2026, 1, 'ADR-2026-0001'],
    ['TBK', 2027, 42, 'TBK-2027-0042'],
    ['ADR', 2026, 12345, 'ADR-2026-12345'],
  ] as const)('%s %i #%i → %s', (code, year, seq, ref) => {
    expect(formatReference(code, year, seq)).toBe(ref);
  });
});
