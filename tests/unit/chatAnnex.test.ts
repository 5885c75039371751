import { describe, expect, it } from 'vitest';
import type { ChatAnnexEntry } from '../../protocol/minutes';
import { excludeFromAnnex, withExclusions } from '../../server/domain/chatAnnex';

const entry = (messageId: number, text: string, excluded: ChatAnnexEntry['excluded'] = null): ChatAnnexEntry =>
  ({ messageId, userId: 3, nameAr: 'ليلى', nameFr: 'Leila', sentAt: `2026-11-22T09:0${messageId}:00.000Z`, text, excluded });
const annex = [entry(1, 'Bonjour'), entry(2, 'mon numéro : 98 000 000'), entry(3, 'Merci')];

describe('excludeFromAnnex', () => {
  it('replaces the text of an excluded message by its reason, keeping author, time and place', () => {
    const r = excludeFromAnnex(annex, { 2: 'donnée personnelle' });
    expect(r).toEqual({ ok: true, chat: [annex[0], { ...annex[1], text: '', excluded: { reason: 'donnée personnelle' } }, annex[2]] });
  });

  it.each<[string, ChatAnnexEntry[], Record<number, string>, string]>([
    ['a message that is not in the annex', annex, { 9: 'x' }, 'not_found'],
    ['a message already excluded (an exclusion is final)', [entry(1, '', { reason: 'a' })], { 1: 'b' }, 'conflict'],
    ['one bad id among good ones (nothing applied)', annex, { 1: 'x', 9: 'y' }, 'not_found'],
  ])('refuses %s', (_case, chat, exclusions, code) => {
    expect(excludeFromAnnex(chat, exclusions)).toMatchObject({ ok: false, code });
  });

  it('changes nothing without exclusions', () => {
    expect(excludeFromAnnex(annex, {})).toEqual({ ok: true, chat: annex });
  });
});

describe('withExclusions', () => {
  it('keeps the stored exclusions as the annex is assembled again, and takes new messages as they are', () => {
    const stored = [annex[0]!, { ...annex[1]!, text: '', excluded: { reason: 'donnée personnelle' } }];
    expect(withExclusions(annex, stored)).toEqual([annex[0], stored[1], annex[2]]);
  });

  it('is the assembled annex when nothing was stored (minutes made before the chat)', () => {
    expect(withExclusions(annex, undefined)).toEqual(annex);
  });
});
