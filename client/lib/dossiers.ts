import type { DeadlineView } from '../../protocol/dossiers';
import type { ErrorBody } from '../../protocol/errors';
import { dateFormat, locale, t, timeFormat } from '../i18n';
import { ApiError, csrfHeader } from './api';

/**
 * Uploads one PDF with XMLHttpRequest (fetch cannot report upload progress), sending the
 * CSRF header like every state-changing call. `onProgress` gets 0..1.
 */
export function uploadDocument(dossierId: number, itemCode: string, file: File, onProgress: (fraction: number) => void): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', `/api/dossiers/${dossierId}/documents/${encodeURIComponent(itemCode)}`);
    for (const [k, v] of Object.entries(csrfHeader())) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      const body = (() => { try { return JSON.parse(xhr.responseText); } catch { return undefined; } })();
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body);
      const e = (body as ErrorBody | undefined)?.error;
      reject(new ApiError(xhr.status, e?.code ?? 'internal', e?.message ?? xhr.statusText, e?.details));
    };
    xhr.onerror = () => reject(new ApiError(0, 'internal', 'network error'));
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

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
