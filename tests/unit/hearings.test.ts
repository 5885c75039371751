import { describe, expect, it } from 'vitest';
import { admissionRefusal, guestLoginRefusal, guestMay, hearingExpiry, linkRefusal, type InvitationFacts } from '../../server/domain/hearings';
import { invitationState, type HearingInvitationView, type InvitationState } from '../../protocol/hearings';

const now = new Date('2026-12-02T10:00:00Z');
const base: InvitationFacts = { now, expiresAt: new Date('2026-12-02T20:00:00Z'), revokedAt: null, usedAt: null, endedAt: null, sessionStatus: 'live' };
const earlier = new Date('2026-12-02T09:00:00Z');

describe('a hearing link', () => {
  it.each<[string, Partial<InvitationFacts>, ReturnType<typeof linkRefusal>]>([
    ['fresh, session planned', { sessionStatus: 'planned' }, null],
    ['fresh, session live', {}, null],
    ['followed once already', { usedAt: earlier }, 'hearing_link_used'],
    ['past its expiry', { now: new Date('2026-12-02T20:00:00Z') }, 'hearing_link_expired'],
    ['its session closed', { sessionStatus: 'closed' }, 'hearing_link_expired'],
    ['its hearing ended', { endedAt: earlier, usedAt: earlier }, 'hearing_link_expired'],
    ['revoked', { revokedAt: earlier }, 'hearing_link_revoked'],
    ['revoked and used and expired: revoked says the most', { revokedAt: earlier, usedAt: earlier, sessionStatus: 'closed' }, 'hearing_link_revoked'],
  ])('%s → %s', (_case, facts, expected) => {
    expect(linkRefusal({ ...base, ...facts })).toBe(expected);
  });

  it('expires 12 hours after the session starts', () => {
    expect(hearingExpiry(new Date('2026-12-02T08:00:00Z')).toISOString()).toBe('2026-12-02T20:00:00.000Z');
  });
});

describe('the guest login a link made', () => {
  it.each<[string, Partial<InvitationFacts>, ReturnType<typeof guestLoginRefusal>]>([
    ['in use (the link was followed)', { usedAt: earlier }, null],
    ['revoked', { usedAt: earlier, revokedAt: earlier }, 'hearing_link_revoked'],
    ['its hearing ended', { usedAt: earlier, endedAt: earlier }, 'hearing_link_expired'],
    ['its session closed', { usedAt: earlier, sessionStatus: 'closed' }, 'hearing_link_expired'],
    ['expired', { usedAt: earlier, now: new Date('2026-12-03T00:00:00Z') }, 'hearing_link_expired'],
  ])('%s → %s', (_case, facts, expected) => {
    expect(guestLoginRefusal({ ...base, ...facts })).toBe(expected);
  });
});

describe("a guest's rights", () => {
  it.each<[string, 'lobby' | 'admitted', boolean]>([
    ['enterLobby', 'lobby', true],
    ['leave', 'lobby', true],
    ['createTransport', 'lobby', false],
    ['produce', 'lobby', false],
    ['createTransport', 'admitted', true],
    ['produce', 'admitted', true],
    ['consume', 'admitted', true],
    ['resumeConsumer', 'admitted', true],
    ['openVote', 'admitted', false],
    ['castBallot', 'admitted', false],
    ['present', 'admitted', false],
    ['pointer', 'admitted', false],
    ['openItem', 'admitted', false],
    ['setPresenter', 'admitted', false],
    ['sendChat', 'admitted', false],
    ['raiseHand', 'admitted', false],
    ['muteParticipant', 'admitted', false],
    ['join', 'admitted', false],
    ['admitGuest', 'admitted', false],
  ])('%s when %s → %s', (event, stage, allowed) => {
    expect(guestMay(stage, event)).toBe(allowed);
  });
});

describe('admitting a guest', () => {
  const ok: Parameters<typeof admissionRefusal>[0] = { seat: 'chair', waiting: true, guestItemId: 7, openItemId: 7 };
  it.each<[string, Partial<typeof ok>, ReturnType<typeof admissionRefusal>]>([
    ['the chair, the guest waiting, their item open', {}, null],
    ['the secretary', { seat: 'secretary' }, 'not_chair'],
    ['a voting member', { seat: 'voting' }, 'not_chair'],
    ['a guest not waiting', { waiting: false }, 'not_waiting'],
    ['another item open', { openItemId: 8 }, 'item_not_open'],
    ['no item open', { openItemId: null }, 'item_not_open'],
  ])('%s → %s', (_case, facts, expected) => {
    expect(admissionRefusal({ ...ok, ...facts })).toBe(expected);
  });
});

describe("an invitation's state, as the office lists it", () => {
  type Dates = Pick<HearingInvitationView, 'usedAt' | 'revokedAt' | 'endedAt' | 'expiresAt'>;
  const sent: Dates = { usedAt: null, revokedAt: null, endedAt: null, expiresAt: '2026-12-02T20:00:00.000Z' };
  const at = earlier.toISOString();
  it.each<[string, Partial<Dates>, Date, InvitationState]>([
    ['only sent', {}, now, 'sent'],
    ['followed once', { usedAt: at }, now, 'used'],
    ['not followed, past its expiry', {}, new Date('2026-12-02T20:00:00Z'), 'expired'],
    ['followed, past its expiry', { usedAt: at }, new Date('2026-12-03T08:00:00Z'), 'expired'],
    ['withdrawn before use', { revokedAt: at }, now, 'revoked'],
    ['withdrawn, then past its expiry: withdrawn says the most', { revokedAt: at }, new Date('2026-12-03T08:00:00Z'), 'revoked'],
    ['heard and ended by the chair', { usedAt: at, endedAt: at }, now, 'ended'],
    ['ended, then withdrawn: withdrawn says the most', { usedAt: at, endedAt: at, revokedAt: at }, now, 'revoked'],
  ])('%s → %s', (_case, facts, when, expected) => {
    expect(invitationState({ ...sent, ...facts }, when)).toBe(expected);
  });
});
