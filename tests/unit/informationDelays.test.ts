import { describe, expect, it } from 'vitest';
import type { AccessForm } from '../../protocol/informationRequests';
import { informationStep } from '../../server/domain/informationLifecycle';
import { answerDelay, answerDueAt, mayExtend, redirectDueAt, requestClock, type RequestFacts } from '../../server/domain/informationDelays';

// Tunis is UTC+1 all year: midnight in Tunis is 23:00 UTC the day before.
const at = (iso: string) => new Date(iso);
/** Received Monday 2 March 2026, 11:00 in Tunis. */
const RECEIVED = at('2026-03-02T10:00:00Z');

describe('the delay to answer (Law 2016-22 art. 14–16)', () => {
  it.each([
    ['an electronic copy: 20 days', 'electronic_copy', false, { unit: 'days', amount: 20 }],
    ['a paper copy: 20 days', 'paper_copy', false, { unit: 'days', amount: 20 }],
    ['extracts: 20 days', 'extracts', false, { unit: 'days', amount: 20 }],
    ['consultation on site: 10 days', 'on_site', false, { unit: 'days', amount: 10 }],
    ['life or liberty at stake: 48 hours', 'electronic_copy', true, { unit: 'hours', amount: 48 }],
    ['life or liberty wins over on-site: 48 hours', 'on_site', true, { unit: 'hours', amount: 48 }],
  ] as const)('%s', (_name, accessForm, lifeOrLiberty, delay) => {
    expect(answerDelay({ accessForm, lifeOrLiberty })).toEqual(delay);
  });
});

describe('when the answer is due (calendar days: weekends and holidays count)', () => {
  it.each([
    ['20 days from Monday 2 March: end of Sunday 22 March (a Sunday is not skipped)', RECEIVED, 'paper_copy', false, false, '2026-03-22T23:00:00.000Z'],
    ['10 days on site: end of 12 March', RECEIVED, 'on_site', false, false, '2026-03-12T23:00:00.000Z'],
    ['48 hours: to the hour, from receipt', RECEIVED, 'paper_copy', true, false, '2026-03-04T10:00:00.000Z'],
    ['48 hours over a weekend: Friday 18:00 → Sunday 18:00', at('2026-03-06T17:00:00Z'), 'paper_copy', true, false, '2026-03-08T17:00:00.000Z'],
    ['extended once: 20 + 10 = 30 days, end of 1 April', RECEIVED, 'electronic_copy', false, true, '2026-04-01T23:00:00.000Z'],
    ['on site extended: 10 + 10 days, end of 22 March', RECEIVED, 'on_site', false, true, '2026-03-22T23:00:00.000Z'],
    ['received Sunday 8 March: due Saturday 28 March, not carried to Monday', at('2026-03-08T09:00:00Z'), 'extracts', false, false, '2026-03-28T23:00:00.000Z'],
    ['received 23:30 in Tunis: that day counts as the day of receipt', at('2026-03-02T22:30:00Z'), 'paper_copy', false, false, '2026-03-22T23:00:00.000Z'],
    ['received 00:30 in Tunis (still 1 March in UTC): the next day', at('2026-03-02T23:30:00Z'), 'paper_copy', false, false, '2026-03-23T23:00:00.000Z'],
    ['across the end of February (28 days)', at('2026-02-20T10:00:00Z'), 'paper_copy', false, false, '2026-03-12T23:00:00.000Z'],
    ['across a year', at('2026-12-20T10:00:00Z'), 'paper_copy', false, false, '2027-01-09T23:00:00.000Z'],
  ] as const)('%s', (_name, receivedAt, accessForm, lifeOrLiberty, extended, due) => {
    expect(answerDueAt({ receivedAt, accessForm: accessForm as AccessForm, lifeOrLiberty, extended }).toISOString()).toBe(due);
  });

  it('telling the requester the body does not hold the information: 5 days (art. 13)', () => {
    expect(redirectDueAt(RECEIVED).toISOString()).toBe('2026-03-07T23:00:00.000Z');
  });
});

describe('the one extension (art. 17): told before the delay runs out', () => {
  const base = { receivedAt: RECEIVED, accessForm: 'paper_copy' as AccessForm, lifeOrLiberty: false, extended: false, answered: false };
  it.each([
    ['within the delay', base, '2026-03-20T10:00:00Z', { ok: true }],
    ['on its last day, late evening', base, '2026-03-22T22:59:00Z', { ok: true }],
    ['once the delay is over', base, '2026-03-22T23:00:00Z', { ok: false, reason: 'delay_over' }],
    ['a second time', { ...base, extended: true }, '2026-03-10T10:00:00Z', { ok: false, reason: 'already_extended' }],
    ['the 48 hours', { ...base, lifeOrLiberty: true }, '2026-03-02T12:00:00Z', { ok: false, reason: 'urgent' }],
    ['after the answer', { ...base, answered: true }, '2026-03-10T10:00:00Z', { ok: false, reason: 'answered' }],
    ['on site, after its 10 days', { ...base, accessForm: 'on_site' as AccessForm }, '2026-03-13T10:00:00Z', { ok: false, reason: 'delay_over' }],
  ] as const)('%s', (_name, r, now, expected) => {
    expect(mayExtend(r, at(now))).toEqual(expected);
  });
});

describe('the clock of a request: implied refusal and appeals (art. 18, 29–30)', () => {
  const pending: RequestFacts = {
    receivedAt: RECEIVED, accessForm: 'electronic_copy', lifeOrLiberty: false, extendedAt: null,
    answeredAt: null, answerIsRefusal: false, appealFiledAt: null, appealDecidedAt: null,
  };
  type Expect = Partial<ReturnType<typeof requestClock>>;
  it.each<[string, RequestFacts, string, Expect]>([
    ['the day of receipt: 20 days left', pending, '2026-03-02T12:00:00Z',
      { daysRemaining: 20, overdue: false, impliedRefusal: false, appealFileBy: null, appealOpen: false, inaiAppealBy: null, dueOn: '2026-03-22' }],
    ['its last day: 0 days left, not yet refused', pending, '2026-03-22T22:00:00Z', { daysRemaining: 0, overdue: false, impliedRefusal: false }],
    ['silence past the delay: implied refusal, appeal open 20 days from the last day', pending, '2026-03-22T23:00:00Z',
      { daysRemaining: null, overdue: true, impliedRefusal: true, appealFileBy: '2026-04-11T23:00:00.000Z', appealOpen: true, inaiAppealBy: '2026-04-11T23:00:00.000Z' }],
    ['implied refusal, appeal time over', pending, '2026-04-12T08:00:00Z', { impliedRefusal: true, appealOpen: false }],
    ['extended: not refused on day 21', { ...pending, extendedAt: at('2026-03-15T09:00:00Z') }, '2026-03-23T10:00:00Z',
      { daysRemaining: 9, impliedRefusal: false, dueOn: '2026-04-01' }],
    ['48 hours: hours left', { ...pending, lifeOrLiberty: true }, '2026-03-04T08:30:00Z',
      { hoursRemaining: 2, daysRemaining: 0, impliedRefusal: false, delay: { unit: 'hours', amount: 48 } }],
    ['48 hours over by a minute: implied refusal', { ...pending, lifeOrLiberty: true }, '2026-03-04T10:01:00Z', { impliedRefusal: true, hoursRemaining: null }],
    ['answered in time: no appeal', { ...pending, answeredAt: at('2026-03-10T09:00:00Z') }, '2026-03-30T10:00:00Z',
      { answeredInTime: true, answeredLate: false, impliedRefusal: false, overdue: false, appealFileBy: null, daysRemaining: null }],
    ['answered late: late, not a refusal', { ...pending, answeredAt: at('2026-03-25T09:00:00Z') }, '2026-03-30T10:00:00Z',
      { answeredInTime: false, answeredLate: true, impliedRefusal: false }],
    ['refused on 10 March: appeal to the head by 30 March, or to the INAI', { ...pending, answeredAt: at('2026-03-10T09:00:00Z'), answerIsRefusal: true }, '2026-03-11T10:00:00Z',
      { appealFileBy: '2026-03-30T23:00:00.000Z', appealOpen: true, inaiAppealBy: '2026-03-30T23:00:00.000Z' }],
    ['appealed on 15 March: the head decides by 25 March; the INAI waits for it',
      { ...pending, answeredAt: at('2026-03-10T09:00:00Z'), answerIsRefusal: true, appealFiledAt: at('2026-03-15T09:00:00Z') }, '2026-03-20T10:00:00Z',
      { appealDecideBy: '2026-03-25T23:00:00.000Z', appealOpen: false, appealImpliedRejection: false, inaiAppealBy: null }],
    ['the head silent past 10 days: rejected; INAI 20 days from the 10th day',
      { ...pending, answeredAt: at('2026-03-10T09:00:00Z'), answerIsRefusal: true, appealFiledAt: at('2026-03-15T09:00:00Z') }, '2026-03-26T10:00:00Z',
      { appealImpliedRejection: true, inaiAppealBy: '2026-04-14T23:00:00.000Z' }],
    ['the head decided on 20 March: INAI by 9 April',
      { ...pending, answeredAt: at('2026-03-10T09:00:00Z'), answerIsRefusal: true, appealFiledAt: at('2026-03-15T09:00:00Z'), appealDecidedAt: at('2026-03-20T09:00:00Z') },
      '2026-03-21T10:00:00Z', { appealImpliedRejection: false, inaiAppealBy: '2026-04-09T23:00:00.000Z' }],
    ['an appeal of the implied refusal, decided', { ...pending, appealFiledAt: at('2026-03-30T09:00:00Z'), appealDecidedAt: at('2026-04-02T09:00:00Z') }, '2026-04-03T10:00:00Z',
      { impliedRefusal: true, appealDecideBy: '2026-04-09T23:00:00.000Z', inaiAppealBy: '2026-04-22T23:00:00.000Z' }],
  ])('%s', (_name, facts, now, expected) => {
    expect(requestClock(facts, at(now))).toMatchObject(expected);
  });
});

describe('the lifecycle of a request', () => {
  it.each([
    ['received', 'extend', 'officer', { ok: true, to: 'extended' }],
    ['extended', 'extend', 'officer', { ok: false, reason: 'wrong_status' }],
    ['received', 'extend', 'requester', { ok: false, reason: 'wrong_actor' }],
    ['received', 'redirect', 'officer', { ok: true, to: 'redirected' }],
    ['extended', 'answer', 'officer', { ok: true, to: 'answered' }],
    ['answered', 'answer', 'officer', { ok: false, reason: 'wrong_status' }],
    ['appeal_decided', 'answer', 'officer', { ok: true, to: 'answered' }],
    ['received', 'refuse', 'officer', { ok: true, to: 'refused' }],
    ['refused', 'refuse', 'officer', { ok: false, reason: 'wrong_status' }],
    ['refused', 'appeal', 'requester', { ok: true, to: 'appealed' }],
    ['received', 'appeal', 'requester', { ok: true, to: 'appealed' }],
    ['answered', 'appeal', 'requester', { ok: false, reason: 'wrong_status' }],
    ['refused', 'appeal', 'officer', { ok: false, reason: 'wrong_actor' }],
    ['appealed', 'decide_appeal', 'head', { ok: true, to: 'appeal_decided' }],
    ['appealed', 'decide_appeal', 'officer', { ok: false, reason: 'wrong_actor' }],
    ['refused', 'decide_appeal', 'head', { ok: false, reason: 'wrong_status' }],
  ] as const)('%s + %s by %s', (status, action, actor, expected) => {
    expect(informationStep(status, action, actor)).toEqual(expected);
  });
});
