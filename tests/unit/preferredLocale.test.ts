import { describe, expect, it } from 'vitest';
import { preferredLocale } from '../../client/i18n/preferred';

describe('the language of a first visit follows the browser\'s languages', () => {
  it.each<[string, string[], string]>([
    ['a French browser lands in French (the issue: it landed in Arabic)', ['fr-FR', 'fr', 'en-US'], 'fr'],
    ['a Tunisian Arabic browser', ['ar-TN', 'fr'], 'ar'],
    ['English, region and case aside', ['EN-gb'], 'en'],
    ['the first language we speak wins, in the browser\'s order', ['de-DE', 'it', 'en-US', 'fr'], 'en'],
    ['none we speak: Arabic', ['de-DE', 'it'], 'ar'],
    ['no languages at all: Arabic', [], 'ar'],
  ])('%s', (_case, languages, locale) => {
    expect(preferredLocale(languages)).toBe(locale);
  });
});
