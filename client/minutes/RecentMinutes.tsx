import { A } from '@solidjs/router';
import { createResource, For, Show } from 'solid-js';
import type { MinutesListEntry } from '../../protocol/minutes';
import { t } from '../i18n';
import { api } from '../lib/api';
import { formatDateTime, localName } from '../lib/dossiers';

/** The principal's recently closed sessions with where their minutes stand: to finalize, to sign, done. */
export function RecentMinutes() {
  const [entries] = createResource(() => api.minutes.list(), { initialValue: [] });
  const state = (e: MinutesListEntry) => {
    if (e.status === 'finalized') return e.nextSigner ? t('minutes.toSign', { role: t(`minutes.signer.${e.nextSigner}`) }) : t('minutes.signedAll');
    return t(`minutes.listStatus.${e.status ?? 'none'}`);
  };
  return (
    <section class="stack">
      <h2>{t('minutes.recent')}</h2>
      <Show when={entries().length} fallback={<p class="muted">{t('minutes.noRecent')}</p>}>
        <ul class="list" data-testid="recent-minutes">
          <For each={entries()}>
            {(e) => (
              <li class="card row" data-session={e.sessionId}>
                <span>{formatDateTime(e.startsAt)} — {localName(e.committee)}</span>
                <span class="status">{state(e)}</span>
                <A href={`/minutes/${e.sessionId}`} data-testid={`minutes-link-${e.sessionId}`}>{t('minutes.open')}</A>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
