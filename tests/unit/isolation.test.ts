import { describe, expect, it } from 'vitest';
import { firstStrongDirection, isolate, visualOrder, type Direction } from '../../server/pdf';

/** Arabic as it shows left to right: the characters reversed (shaping aside). */
const shown = (arabic: string) => [...arabic].reverse().join('');

describe('user text keeps its own direction inside a sentence of the other (first-strong isolates)', () => {
  it.each<[string, Direction, string, string, string]>([
    // [case, document direction, fixed text, user text, what must show intact]
    ['French conditions in the Arabic minutes keep their final period', 'rtl', 'الشروط: ', 'Respect de la façade.', 'Respect de la façade.'],
    ['French with brackets in Arabic keeps its brackets the right way', 'rtl', 'الشروط: ', 'Toiture en tuiles (R+1).', 'Toiture en tuiles (R+1).'],
    ['a vote question ending with a question mark', 'rtl', 'التصويت 1: ', 'Avis sur le dossier ?', 'Avis sur le dossier ?'],
    ['a Latin file name in Arabic text', 'rtl', 'أمثلة المهندس المعماري: ', 'plans-v2 (final).pdf', 'plans-v2 (final).pdf'],
    ['an Arabic address in French text keeps its comma and number at its own end', 'ltr', 'Adresse : ', 'نهج الصنوبر 17، عين دراهم', shown('نهج الصنوبر 17، عين دراهم'.replace('17', '71'))],
    ['Arabic reasons ending with a period in the French minutes', 'ltr', 'Motifs : ', 'موقع قريب من معلم محمي.', shown('موقع قريب من معلم محمي.')],
  ])('%s', (_case, direction, fixed, user, intact) => {
    expect(visualOrder(fixed + isolate(user), direction)).toContain(intact);
  });

  it('without the isolate the period of French text goes to the wrong end in Arabic (what the issue saw)', () => {
    expect(visualOrder('الشروط: Respect de la façade.', 'rtl')).not.toContain('Respect de la façade.');
    expect(visualOrder('الشروط: Respect de la façade.', 'rtl').startsWith('.Respect')).toBe(true);
  });

  it.each([
    ['plain text', 'Respect', '\u2068Respect\u2069'],
    ['each line of a note on its own', 'ligne 1\nسطر 2', '\u2068ligne 1\u2069\n\u2068سطر 2\u2069'],
    ['a user\'s own override cannot reverse the text (spoofing)', 'abc\u202Efdp.exe', '\u2068abcfdp.exe\u2069'],
    ['a user\'s own isolate marks cannot close ours early', 'a\u2069b', '\u2068ab\u2069'],
    ['control characters are dropped', 'a\u0000b\u0007c', '\u2068abc\u2069'],
    ['blank text stays blank', '  ', ''],
  ])('isolate: %s', (_case, text, isolated) => {
    expect(isolate(text)).toBe(isolated);
  });

  it.each<[string, Direction]>([
    ['نهج الصنوبر', 'rtl'],
    ['17، نهج الصنوبر', 'rtl'],
    ['Rue des Pins 17', 'ltr'],
    ['ADR-2026-0001 نهج', 'ltr'],
    ['12 345', 'rtl'],
  ])('the first strong letter of %j gives %s (no letter: the fallback)', (text, direction) => {
    expect(firstStrongDirection(text, 'rtl')).toBe(direction);
  });
});
