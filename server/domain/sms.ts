/**
 * Rules for SMS: which numbers are Tunisian mobile numbers, and how long a text may be.
 * Pure, table-tested (tests/unit/sms.test.ts).
 */

import type { InvalidPhoneReason } from '../../protocol/personalData';

export type PhoneResult = { ok: true; e164: string } | { ok: false; reason: Exclude<InvalidPhoneReason, 'missing'> };

/**
 * A Tunisian number as people write it: `+216 22 123 456`, `0021622123456`, `216 22123456`
 * or the 8 digits alone; spaces, dots and dashes between groups are ignored. Stored as E.164.
 */
export function parseTunisianNumber(input: string): PhoneResult {
  const compact = input.trim().replace(/[\s.-]/g, '');
  if (!/^\+?\d+$/.test(compact)) return { ok: false, reason: 'not_digits' };
  let national: string;
  if (compact.startsWith('+')) {
    if (!compact.startsWith('+216')) return { ok: false, reason: 'not_tunisian' };
    national = compact.slice(4);
  } else if (compact.startsWith('00')) {
    if (!compact.startsWith('00216')) return { ok: false, reason: 'not_tunisian' };
    national = compact.slice(5);
  } else if (compact.length === 11 && compact.startsWith('216')) {
    national = compact.slice(3);
  } else {
    national = compact;
  }
  if (national.length !== 8) return { ok: false, reason: 'wrong_length' };
  return { ok: true, e164: `+216${national}` };
}

/** GSM 03.38's basic set (and its extension, which costs two): a text of these alone goes as 7-bit GSM. */
const GSM = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENSION = '^{}\\[~]|€\f';

export interface SmsSize {
  encoding: 'gsm' | 'ucs2';
  /** Characters as the network counts them (GSM extension characters count twice; UCS-2 counts UTF-16 units). */
  units: number;
  parts: number;
}

/** How a text travels: GSM 160 per part (153 when concatenated), otherwise UCS-2 70 (67 concatenated). */
export function smsSize(text: string): SmsSize {
  let gsmUnits = 0;
  for (const c of text) {
    if (GSM.includes(c)) gsmUnits += 1;
    else if (GSM_EXTENSION.includes(c)) gsmUnits += 2;
    else {
      const units = text.length;
      return { encoding: 'ucs2', units, parts: units <= 70 ? 1 : Math.ceil(units / 67) };
    }
  }
  return { encoding: 'gsm', units: gsmUnits, parts: gsmUnits <= 160 ? 1 : Math.ceil(gsmUnits / 153) };
}

/** At most this many parts per message: an SMS is a pointer to the email and the portal, not the notice itself. */
export const SMS_MAX_PARTS = 2;

/** The first of `candidates` that fits in SMS_MAX_PARTS; the last one cut with an ellipsis when none does. */
export function fitSms(candidates: readonly string[]): string {
  for (const c of candidates) if (smsSize(c).parts <= SMS_MAX_PARTS) return c;
  const last = [...(candidates.at(-1) ?? '')];
  while (last.length && smsSize(`${last.join('')}…`).parts > SMS_MAX_PARTS) last.pop();
  return `${last.join('')}…`;
}

/**
 * Which of `wanted` SMS a municipality may still send this month, given its quota (null: no
 * limit) and the SMS it already sent or queued: the first ones go, the rest are dropped.
 */
export function smsAllowed(quota: number | null, used: number, wanted: number): number {
  if (quota === null) return wanted;
  return Math.max(0, Math.min(wanted, quota - used));
}
