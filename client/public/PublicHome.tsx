import { createResource, For, Show } from 'solid-js';
import { locale, t } from '../i18n';
import { api } from '../lib/api';
import { formatDateTime, localName } from '../lib/dossiers';

interface PublicSession {
  id: number; startsAt: string; mode: 'remote' | 'hybrid';
  municipality: { code: string; nameAr: string; nameFr: string };
  agenda: { position: number; reference: string; type: { nameAr: string; nameFr: string; nameEn: string } }[];
}

/** The public calendar of sessions and their agenda, by dossier reference only (no personal data). */
export function PublicHome() {
  const [sessions] = createResource(() => api<PublicSession[]>('GET', '/public/sessions'));
  return (
    <section class="stack">
      <h1>{t('public.title')}</h1>
      <p>{t('public.intro')}</p>
      <For each={sessions()} fallback={<p class="muted">{t('office.noSession')}</p>}>
        {(s) => (
          <article class="card" data-public-session={s.id}>
            <h2>{locale() === 'ar' ? s.municipality.nameAr : s.municipality.nameFr} — {formatDateTime(s.startsAt)} ({t(`office.modes.${s.mode}`)})</h2>
            <Show when={s.agenda.length} fallback={<p class="muted">{t('office.emptyAgenda')}</p>}>
              <ol>
                <For each={s.agenda}>{(a) => <li><strong>{a.reference}</strong> — {localName(a.type)}</li>}</For>
              </ol>
            </Show>
          </article>
        )}
      </For>
    </section>
  );
}
