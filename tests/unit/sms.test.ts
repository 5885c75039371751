import { describe, expect, it } from 'vitest';
import { fitSms, parseTunisianNumber, SMS_MAX_PARTS, smsAllowed, smsSize } from '../../server/domain/sms';
import { smsText } from '../../server/notifications/smsNotices';
import type { Notice } from '../../server/notifications/notices';

describe('Tunisian mobile numbers', () => {
  it.each([
    ['+216 22 123 456', '+21622123456'],
    ['+21698765432', '+21698765432'],
    ['0021622123456', '+21622123456'],
    ['00216 22-123-456', '+21622123456'],
    ['216 22123456', '+21622123456'],
    ['22 123 456', '+21622123456'],
    ['  55.123.456 ', '+21655123456'],
  ])('%s → %s', (input, e164) => {
    expect(parseTunisianNumber(input)).toEqual({ ok: true, e164 });
  });

  it.each([
    ['+33 6 12 34 56 78', 'not_tunisian'],
    ['0033612345678', 'not_tunisian'],
    ['+216 22 123 45', 'wrong_length'],
    ['+216 22 123 4567', 'wrong_length'],
    ['2162212345', 'wrong_length'],
    ['', 'not_digits'],
    ['22 ABC 456', 'not_digits'],
    ['+216+22123456', 'not_digits'],
  ])('%j refused: %s', (input, reason) => {
    expect(parseTunisianNumber(input)).toEqual({ ok: false, reason });
  });
});

describe('SMS size', () => {
  it.each([
    ['a'.repeat(160), 'gsm', 160, 1],
    ['a'.repeat(161), 'gsm', 161, 2],
    ['€'.repeat(80), 'gsm', 160, 1],
    ['é'.repeat(306), 'gsm', 306, 2],
    ['ل'.repeat(70), 'ucs2', 70, 1],
    ['ل'.repeat(71), 'ucs2', 71, 2],
    ['ل'.repeat(134), 'ucs2', 134, 2],
    ['ل'.repeat(135), 'ucs2', 135, 3],
    [`${'a'.repeat(69)}’`, 'ucs2', 70, 1],
  ])('%#: %s chars', (text, encoding, units, parts) => {
    expect(smsSize(text)).toEqual({ encoding, units, parts });
  });

  it('fitSms takes the first candidate that fits, else cuts the last with an ellipsis', () => {
    expect(fitSms(['ل'.repeat(200), 'ل'.repeat(100)])).toBe('ل'.repeat(100));
    const cut = fitSms(['ل'.repeat(300)]);
    expect(cut).toBe(`${'ل'.repeat(133)}…`);
    expect(smsSize(cut).parts).toBe(SMS_MAX_PARTS);
  });
});

describe('SMS texts of the notices', () => {
  const ref = 'ADR-2026-0001';
  const notices: Notice[] = [
    { kind: 'documents_requested', reference: ref, message: 'x'.repeat(2000), items: [{ ar: 'شهادة ملكية', fr: 'Certificat de propriété' }] },
    { kind: 'dossier_complete', reference: ref, legalDays: 30, dueOn: '2030-03-01' },
    { kind: 'office_message', reference: ref, message: 'y'.repeat(500) },
    { kind: 'opinion', reference: ref, opinion: 'favourable', conditions: '', reasons: '', givenAt: new Date('2030-01-12T09:00:00Z') },
    { kind: 'decision', reference: ref, outcome: 'granted', arreteNumber: '12/2030', signedOn: '2030-01-12', notes: '' },
    {
      kind: 'convocation', committee: { ar: 'اللجنة الفنية', fr: 'Commission technique' }, municipality: { ar: 'عين دراهم', fr: 'Aïn Draham' },
      startsAt: new Date('2030-01-14T18:45:00Z'), mode: 'hybrid', location: 'Salle', agenda: [],
    },
  ];
  it.each(notices.map((n) => [n.kind, n] as const))('%s: Arabic first, at most two UCS-2 parts, the dossier or the day named', (_k, notice) => {
    const text = smsText(notice);
    expect(text.startsWith('لجنة:')).toBe(true);
    expect(smsSize(text)).toMatchObject({ encoding: 'ucs2' });
    expect(smsSize(text).parts).toBeLessThanOrEqual(2);
    expect(text).toMatch(notice.kind === 'convocation' ? /14\/01\/2030 19:45/ : new RegExp(ref));
    expect(text).not.toMatch(/UTC|GMT/);
  });
});

describe('smsAllowed: how many SMS of a notice may go under the monthly quota', () => {
  it.each([
    [null, 1000, 5, 5],
    [2, 0, 1, 1],
    [2, 1, 1, 1],
    [2, 2, 1, 0],
    [2, 1, 3, 1],
    [0, 0, 4, 0],
    [2, 5, 1, 0],
  ])('quota %s, used %s, wanted %s → %s', (quota, used, wanted, allowed) => {
    expect(smsAllowed(quota, used, wanted)).toBe(allowed);
  });
});
