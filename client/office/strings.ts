/** Strings of the office area, in each language; French is the shape the others follow. */
const fr = { title: 'Secrétariat de la commission' };

export const officeStrings: Record<'ar' | 'fr' | 'en', typeof fr> = {
  fr,
  ar: { title: 'كتابة اللجنة' },
  en: { title: 'Committee office' },
};
