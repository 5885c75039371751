import type { DeadlineView } from '../../protocol/dossiers';
import { dateFormat, locale, t, timeFormat } from '../i18n';

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

/** A calendar day (yyyy-mm-dd) as dd/MM/yyyy; noon UTC is that day in every time zone. */
export const formatDay = (day: string) => dateFormat().format(new Date(`${day}T12:00:00Z`));

/** dd/MM/yyyy HH:mm in the municipality's time. */
export const formatDateTime = (iso: string) => `${dateFormat().format(new Date(iso))} ${timeFormat().format(new Date(iso))}`;

/** A dossier status in words. */
export const statusLabel = (status: string) => t(`portal.status.${status}` as 'portal.status.draft');
