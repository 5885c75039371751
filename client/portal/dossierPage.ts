import { createResource, createSignal } from 'solid-js';
import type { DossierView } from '../../protocol/dossiers';
import type { ErrorCode } from '../../protocol/errors';
import { t } from '../i18n';
import { api, ApiError } from '../lib/api';

const UPLOAD_ERRORS: ErrorCode[] = ['file_too_large', 'invalid_pdf', 'encrypted_pdf', 'empty_file', 'unsupported_media_type'];

/** A refusal in words: the upload refusals each have theirs, anything else the server's message. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError && UPLOAD_ERRORS.includes(err.code)) return t(`portal.errors.${err.code}` as 'portal.errors.invalid_pdf');
  return t('portal.errors.generic', { message: err instanceof Error ? err.message : String(err) });
}

/**
 * What the applicant's and the office's dossier pages share: the dossier as the server last
 * answered it, its steps, its messages, and the error of the last attempt.
 */
export function dossierPage(id: () => number) {
  const [dossier, { refetch, mutate }] = createResource(id, (id) => api.dossiers.get(id));
  const [error, setError] = createSignal('');
  /** Runs an action on the page; a refusal shows as the page's error. */
  const attempt = async (action: () => Promise<unknown>) => {
    setError('');
    try {
      await action();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return {
    dossier,
    refetch,
    error,
    /** One step on the dossier; the page shows the dossier as the server answers it. */
    act: (step: (id: number) => Promise<DossierView>) => attempt(async () => mutate(await step(dossier()!.id))),
    /** Sends a message; the thread comes back with it (a failure stays with the message form). */
    sendMessage: async (body: string) => {
      const messages = await api.dossiers.sendMessage(dossier()!.id, body);
      mutate((d) => d && { ...d, messages });
    },
  };
}
