import { A } from '@solidjs/router';
import { createResource, For, Show } from 'solid-js';
import { t } from '../i18n';
import { api } from '../lib/api';
import { formatDateTime, formatDay, localName } from '../lib/dossiers';

/** The public calendar of sessions and their agenda, and the opinions given, by dossier reference only (no personal data). */
export function PublicHome() {
  const [sessions] = createResource(() => api.public.sessions());
  const [opinions] = createResource(() => api.public.opinions());
  return (
    <section class="stack">
      <h1>{t('public.title')}</h1>
      <p>{t('public.intro')} <A href="/verify">{t('public.verify.nav')}</A></p>
      <h2>{t('public.upcoming')}</h2>
      <For each={sessions()} fallback={<p class="muted">{t('office.noSession')}</p>}>
        {(s) => (
          <article class="card" data-public-session={s.id}>
            <h2>{localName(s.municipality)} — {formatDateTime(s.startsAt)} ({t(`words.sessionMode.${s.mode}`)})</h2>
            <Show when={s.agenda.length} fallback={<p class="muted">{t('office.emptyAgenda')}</p>}>
              <ol>
                <For each={s.agenda}>{(a) => <li><strong class="ref">{a.reference}</strong> — {localName(a.type)}</li>}</For>
              </ol>
            </Show>
          </article>
        )}
      </For>
      <h2>{t('public.opinions')}</h2>
      <For each={opinions()} fallback={<p class="muted">{t('public.noOpinion')}</p>}>
        {(s) => (
          <article class="card" data-published-session={s.sessionId}>
            <h3>{localName(s.municipality)} — {formatDay(s.date)}</h3>
            <ul>
              <For each={s.items}>
                {(i) => <li data-reference={i.dossierReference}><strong class="ref">{i.dossierReference}</strong> — {i.opinion ? t(`words.opinion.${i.opinion}`) : t('public.pending')}</li>}
              </For>
            </ul>
          </article>
        )}
      </For>
    </section>
  );
}
