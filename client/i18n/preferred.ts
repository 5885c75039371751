import { LOCALES, type Locale } from '../../protocol/enums';

/**
 * The language of a first visit: the first of the browser's languages we speak (fr-FR →
 * French), else Arabic. Pure, for the table test.
 */
export function preferredLocale(browserLanguages: readonly string[]): Locale {
  for (const tag of browserLanguages) {
    const base = tag.toLowerCase().split('-')[0];
    if ((LOCALES as readonly string[]).includes(base ?? '')) return base as Locale;
  }
  return 'ar';
}
