import type { DeadlineView } from '../../protocol/dossiers';
import { formatDateTime as municipalDateTime, formatDay as municipalDay } from '../../protocol/municipalTime';
import { locale, t } from '../i18n';

/** The legal deadline in words, in the current language. */
export function deadlineText(d: DeadlineView): string {
  if (d.daysRemaining === null) return t('portal.deadline.notStarted', { days: String(d.days) });
  if (d.overdue) return t('portal.deadline.overdue', { late: String(-d.daysRemaining) });
  if (d.paused) return t('portal.deadline.paused', { left: String(d.daysRemaining) });
  return t('portal.deadline.running', { left: String(d.daysRemaining), due: d.dueOn ? formatDay(d.dueOn) : '' });
}

/** A label in the current language from an object with nameAr/nameFr/nameEn (or labelAr…). */
export function localName(o: { nameAr?: string; nameFr?: string; nameEn?: string; labelAr?: string; labelFr?: string; labelEn?: string }): string {
  const l = locale();
  if (l === 'ar') return o.nameAr ?? o.labelAr ?? '';
  if (l === 'en') return o.nameEn ?? o.labelEn ?? o.nameFr ?? o.labelFr ?? '';
  return o.nameFr ?? o.labelFr ?? '';
}

/** A calendar day (yyyy-mm-dd) as dd/MM/yyyy, in every language. */
export const formatDay = (day: string) => municipalDay(day);

/** dd/MM/yyyy HH:mm in the municipality's time, in every language. */
export const formatDateTime = (iso: string) => municipalDateTime(iso);

/** A value set into a translated sentence (a number, a reference, a name) in its own direction: a first-strong isolate (FSI … PDI). */
export const isolated = (value: string) => `\u2068${value}\u2069`;

/** A dossier status in words. */
export const statusLabel = (status: string) => t(`words.status.${status}` as 'words.status.draft');
