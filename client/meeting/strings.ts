/** Strings of the meeting area, in each language; French is the shape the others follow. */
const fr = { title: 'Séances de la commission' };

export const meetingStrings: Record<'ar' | 'fr' | 'en', typeof fr> = {
  fr,
  ar: { title: 'جلسات اللجنة' },
  en: { title: 'Committee sessions' },
};
