/** Strings of the public area, in each language; French is the shape the others follow. */
const fr = { title: 'Séances et avis de la commission', intro: 'Calendrier des séances et avis rendus, par numéro de dossier.' };

export const publicStrings: Record<'ar' | 'fr' | 'en', typeof fr> = {
  fr,
  ar: { title: 'جلسات اللجنة وآراؤها', intro: 'رزنامة الجلسات والآراء الصادرة، حسب رقم الملف.' },
  en: { title: 'Committee sessions and opinions', intro: 'Calendar of sessions and opinions given, by dossier reference.' },
};
