import * as i18n from '@solid-primitives/i18n';
import { createEffect, createMemo, createRoot, createSignal } from 'solid-js';
import { LOCALES, type Locale } from '../../protocol/enums';
import { VOCABULARY } from '../../protocol/vocabulary';
import { caseListStrings } from '../cases/caseListStrings';
import { accountStrings } from '../account/strings';
import { informationStrings } from '../cases/informationStrings';
import { casesStrings } from '../cases/strings';
import { hearingStrings } from '../hearing/strings';
import { pdfViewerStrings } from '../lib/pdf/strings';
import { markupsStrings } from '../meeting/markups/strings';
import { meetingStrings } from '../meeting/strings';
import { minutesStrings } from '../minutes/strings';
import { certificateStrings } from '../office/certificateStrings';
import { invitationStrings } from '../office/invitationStrings';
import { officeStrings } from '../office/strings';
import { portalStrings } from '../portal/strings';
import { publicStrings } from '../public/strings';
import { ar } from './ar';
import { preferredLocale } from './preferred';
import { en } from './en';
import { fr } from './fr';

const SHELL = { ar, fr, en };

/** The whole dictionary of a language: the shell's strings, the committee's words (shared with the server), one namespace per area. */
const dictionary = (l: Locale) => ({
  ...SHELL[l],
  words: VOCABULARY[l],
  portal: portalStrings[l],
  office: officeStrings[l],
  invitations: invitationStrings[l],
  certificates: certificateStrings[l],
  meeting: meetingStrings[l],
  hearing: hearingStrings[l],
  markups: markupsStrings[l],
  minutes: minutesStrings[l],
  public: publicStrings[l],
  pdf: pdfViewerStrings[l],
  cases: casesStrings[l],
  information: informationStrings[l],
  caseList: caseListStrings[l],
  account: accountStrings[l],
});
const STORAGE_KEY = 'lajna.locale';

/** A choice the person made wins over the browser's languages, on every later visit. */
function initialLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  return (LOCALES as readonly string[]).includes(saved ?? '') ? (saved as Locale) : preferredLocale(navigator.languages ?? [navigator.language]);
}

/** The current language (the person's choice, persisted, else the browser's), with <html lang dir> kept in step. */
export const { locale, setLocale, t, numberFormat } = createRoot(() => {
  const [locale, setLocaleSignal] = createSignal<Locale>(initialLocale());
  const dict = createMemo(() => i18n.flatten(dictionary(locale())));
  const t = i18n.translator(dict, i18n.resolveTemplate);
  createEffect(() => {
    document.documentElement.lang = locale();
    document.documentElement.dir = locale() === 'ar' ? 'rtl' : 'ltr';
  });
  const setLocale = (l: Locale) => {
    localStorage.setItem(STORAGE_KEY, l);
    setLocaleSignal(l);
  };
  // Dates and times: protocol/municipalTime.ts (the same text in every language).
  const numberFormat = createMemo(() => new Intl.NumberFormat(`${locale()}-TN-u-nu-latn`));
  return { locale, setLocale, t, numberFormat };
});
