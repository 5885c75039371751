import { A, useParams } from '@solidjs/router';
import { createEffect, createMemo, createResource, createSignal, For, on, onCleanup, Show } from 'solid-js';
import type { MinutesView } from '../../protocol/minutes';
import { ConfirmDialog } from '../ConfirmDialog';
import { t } from '../i18n';
import { api, ApiError } from '../lib/api';
import { formatDateTime, localName } from '../lib/dossiers';
import { me } from '../lib/session';
import { MinutesDocument, SaveState } from './MinutesDocument';
import { MinutesDraft } from './MinutesDraft';
import { SigningScreen } from './SigningScreen';

/**
 * A session's minutes after (or during) the meeting: the secretary reviews and edits the
 * draft, finalizes it once the session is closed, then the secretary and the chair sign it
 * in that order, each typing their password (a PAdES signature added to both PDFs);
 * everyone on the committee reads it and downloads its PDFs as signed.
 */
export function MinutesPage() {
  const sessionId = Number(useParams<{ sessionId: string }>().sessionId);
  const [view, { mutate }] = createResource(() => api.minutes.get(sessionId));
  const [session, { refetch: refetchSession }] = createResource(() => api.sessions.get(sessionId));
  const [error, setError] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [confirmingFinalize, setConfirmingFinalize] = createSignal(false);
  const seat = createMemo(() => view()?.content.attendance.find((a) => a.userId === me()?.userId)?.seat);
  const draft = new MinutesDraft({
    sessionId,
    userId: me()!.userId,
    send: (edit) => api.minutes.editText(sessionId, edit),
    online: () => navigator.onLine,
    refusal: (e) => (e instanceof ApiError && e.status >= 400 && e.status < 500 ? e.message : null),
    onSaved: (v) => mutate(v),
  });
  // Text typed earlier (in the meeting room, or before a reload) and not yet saved goes now.
  createEffect(on(seat, (s) => void (s === 'secretary' && draft.flush())));
  onCleanup(() => draft.dispose());

  const run = async (action: () => Promise<MinutesView>) => {
    setError('');
    setBusy(true);
    try {
      mutate(await action());
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const finalize = async () => {
    setConfirmingFinalize(false);
    // Every keystroke first: finalized minutes can never take them afterwards.
    if (!(await draft.drain())) return setError(t('minutes.unsavedText'));
    await run(() => api.minutes.finalize(sessionId));
    void refetchSession();
  };

  return (
    <section class="stack minutes-page">
      <h1>{t('minutes.title')}</h1>
      <Show when={view.error}><p class="error" role="alert">{(view.error as Error).message}</p></Show>
      <Show when={view()}>
        {(v) => (
          <>
            <p>
              <span class="status" data-testid="minutes-status">{t(`minutes.status.${v().status}`)}</span>{' '}
              <Show when={v().finalizedAt}>{(at) => <span>{t('minutes.finalizedAt', { date: formatDateTime(at()) })}</span>}</Show>
            </p>
            <Show when={error()}><p class="error" role="alert" data-testid="minutes-error">{error()}</p></Show>

            <Show when={v().status === 'draft' && seat() === 'secretary'}>
              <div class="minutes-actions">
                <SaveState draft={draft} />
                <button type="button" class="primary" data-testid="finalize" disabled={busy() || session()?.status !== 'closed'} onClick={() => setConfirmingFinalize(true)}>
                  {t('minutes.finalize')}
                </button>
                <ConfirmDialog
                  open={confirmingFinalize()} message={t('minutes.finalizeConfirm')} confirmLabel={t('minutes.finalize')} testId="finalize-confirm"
                  onConfirm={() => void finalize()} onCancel={() => setConfirmingFinalize(false)}
                />
                <Show when={session() && session()!.status !== 'closed'}><span class="muted">{t('minutes.finalizeWhenClosed')}</span></Show>
              </div>
            </Show>

            <Show when={v().hash}>
              {(hash) => (
                <div class="card stack">
                  <div>
                    <strong>{t('words.minutes.hash')}</strong>
                    <div><code class="minutes-hash" data-testid="minutes-hash">{hash()}</code></div>
                  </div>
                  <div class="minutes-actions">
                    <For each={['ar', 'fr'] as const}>
                      {(lang) => <a class="button" href={api.minutes.pdfUrl(sessionId, lang)} download="" data-testid={`pdf-${lang}`}>{t(`minutes.pdf.${lang}`)}</a>}
                    </For>
                    <A href="/verify">{t('minutes.verify')}</A>
                  </div>
                  <div>
                    <strong>{t('words.minutes.signatures')}</strong>
                    <ul class="signatures" data-testid="signatures">
                      <For each={v().signatures}>
                        {(s) => <li data-role={s.role}>{t('minutes.signedBy', { role: t(`minutes.signer.${s.role}`), name: localName(s), date: formatDateTime(s.signedAt) })}</li>}
                      </For>
                    </ul>
                    <Show when={v().nextSigner} fallback={<p class="ok" data-testid="signed-all">{t('minutes.complete')}</p>}>
                      {(role) => (
                        <div class="minutes-actions">
                          <span class="muted">{t('minutes.awaiting', { role: t(`minutes.signer.${role()}`) })}</span>
                          <Show when={seat() === role()}>
                            <SigningScreen
                              pdfUrl={(lang) => api.minutes.pdfUrl(sessionId, lang)}
                              intro={<p>{t('minutes.signIntro')}<code class="minutes-hash">{hash()}</code></p>}
                              label={t('minutes.sign', { role: t(`minutes.signer.${role()}`) })}
                              testId={`sign-${role()}`}
                              busy={busy()}
                              onSign={(password) => run(() => api.minutes.sign(sessionId, { role: role(), hash: hash(), password }))}
                            />
                          </Show>
                        </div>
                      )}
                    </Show>
                  </div>
                </div>
              )}
            </Show>

            <MinutesDocument view={v()} draft={seat() === 'secretary' ? draft : undefined} />
          </>
        )}
      </Show>
    </section>
  );
}
