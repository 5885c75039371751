import * as i18n from '@solid-primitives/i18n';
import { createEffect, createMemo, createRoot, createSignal } from 'solid-js';
import { LOCALES, MUNICIPAL_TIME_ZONE, type Locale } from '../../protocol/enums';
import { pdfViewerStrings } from '../lib/pdf/strings';
import { meetingStrings } from '../meeting/strings';
import { minutesStrings } from '../minutes/strings';
import { officeStrings } from '../office/strings';
import { portalStrings } from '../portal/strings';
import { publicStrings } from '../public/strings';
import { ar } from './ar';
import { en } from './en';
import { fr } from './fr';

const SHELL = { ar, fr, en };

/** The whole dictionary of a language: the shell's strings plus one namespace per area. */
const dictionary = (l: Locale) => ({
  ...SHELL[l],
  portal: portalStrings[l],
  office: officeStrings[l],
  meeting: meetingStrings[l],
  minutes: minutesStrings[l],
  public: publicStrings[l],
  pdf: pdfViewerStrings[l],
});
const STORAGE_KEY = 'lajna.locale';

function initialLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  return (LOCALES as readonly string[]).includes(saved ?? '') ? (saved as Locale) : 'ar';
}

/** The current language, persisted, with <html lang dir> kept in step; Arabic by default. */
export const { locale, setLocale, t, dateFormat, timeFormat, numberFormat } = createRoot(() => {
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
  // Latin digits, dd/MM/yyyy and a 24-hour clock in every language, as Tunisian administrations
  // write them, in the municipality's time (a member abroad sees the session's official hour).
  const dateFormat = createMemo(
    () => new Intl.DateTimeFormat(`${locale()}-TN-u-nu-latn`, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: MUNICIPAL_TIME_ZONE }),
  );
  const timeFormat = createMemo(
    () => new Intl.DateTimeFormat(`${locale()}-TN-u-nu-latn`, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: MUNICIPAL_TIME_ZONE }),
  );
  const numberFormat = createMemo(() => new Intl.NumberFormat(`${locale()}-TN-u-nu-latn`));
  return { locale, setLocale, t, dateFormat, timeFormat, numberFormat };
});
