import { describe, expect, it } from 'vitest';
import { CHAT_LIMITS, chatAllowance, recentSends, type ChatWindow } from '../../server/domain/chatRate';

const burst: ChatWindow = { max: 3, ms: 10_000 };
const ceiling: ChatWindow = { max: 5, ms: 60_000 };
const limits = [burst, ceiling];

describe('chatAllowance', () => {
  it.each([
    { case: 'nothing sent yet', sent: [], now: 0, expected: { ok: true } },
    { case: 'under the burst', sent: [0, 1_000], now: 2_000, expected: { ok: true } },
    { case: 'burst full: wait for the oldest to leave the window', sent: [0, 1_000, 2_000], now: 3_000, expected: { ok: false, retryAfterMs: 7_000, window: burst } },
    { case: 'burst full, order of the times does not matter', sent: [2_000, 0, 1_000], now: 3_000, expected: { ok: false, retryAfterMs: 7_000, window: burst } },
    { case: 'the oldest just left the burst window', sent: [0, 1_000, 2_000], now: 10_000, expected: { ok: true } },
    { case: 'ceiling full though the burst has room', sent: [0, 11_000, 22_000, 33_000, 44_000], now: 50_000, expected: { ok: false, retryAfterMs: 10_000, window: ceiling } },
    { case: 'both full: the longer wait is given', sent: [0, 20_000, 41_000, 48_000, 49_000], now: 50_000, expected: { ok: false, retryAfterMs: 10_000, window: ceiling } },
    { case: 'sends in the future (clock stepped back) are not counted', sent: [90_000, 91_000, 92_000], now: 3_000, expected: { ok: true } },
  ])('$case', ({ sent, now, expected }) => {
    expect(chatAllowance(sent, now, limits)).toEqual(expected);
  });

  it('the product limits allow a burst of five, then refuse the sixth', () => {
    const sent = [0, 100, 200, 300, 400];
    expect(chatAllowance(sent.slice(0, 4), 500)).toEqual({ ok: true });
    expect(chatAllowance(sent, 500)).toMatchObject({ ok: false, retryAfterMs: 9_500, window: CHAT_LIMITS[0] });
  });
});

describe('recentSends', () => {
  it('keeps only what the longest window still counts', () => {
    expect(recentSends([0, 5_000, 59_000, 70_000], 65_000, limits)).toEqual([59_000, 70_000]);
  });
});
