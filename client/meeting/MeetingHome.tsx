import { A } from '@solidjs/router';
import { createResource, For, Show } from 'solid-js';
import { t } from '../i18n';
import { api } from '../lib/api';
import { me } from '../lib/session';
import { ArretesToSign } from '../portal/ArretesToSign';
import { formatDateTime, localName } from '../lib/dossiers';
import { RecentMinutes } from '../minutes/RecentMinutes';
import { FileName } from '../FileName';

/** A committee member's upcoming sessions, each agenda item's dossier and documents, and the way into the room; for the president, the arrêtés to sign. */
export function MeetingHome() {
  const [sessions] = createResource(() => api.sessions.list());
  return (
    <section class="stack">
      <h1>{t('meeting.title')}</h1>
      {/* The municipality's president signs its arrêtés. */}
      <Show when={me()?.memberships.some((m) => m.role === 'chair')}><ArretesToSign /></Show>
      <h2>{t('office.upcoming')}</h2>
      <For each={sessions()} fallback={<p class="muted">{t('office.noSession')}</p>}>
        {(s) => (
          <article class="card stack" data-session={s.id}>
            <h3>{formatDateTime(s.startsAt)} — {t(`words.sessionMode.${s.mode}`)} <bdi>{s.location}</bdi></h3>
            <A href={`/meeting/${s.id}`} class="button" data-testid="join">{t('office.join')}</A>
            <strong>{t('office.agenda')}</strong>
            <Show when={s.agenda.length} fallback={<p class="muted">{t('office.emptyAgenda')}</p>}>
              <ol class="agenda">
                <For each={s.agenda}>
                  {(a) => (
                    <li data-reference={a.dossier.reference}>
                      <strong>{a.dossier.reference}</strong> — {localName(a.dossier.type)} — <bdi>{a.dossier.address}</bdi>
                      <ul>
                        <For each={a.dossier.documents}>
                          {(d) => (
                            <li data-item={d.itemCode}>
                              {localName(d)} — <a href={api.documents.contentUrl(d.currentVersion.id)} download={d.currentVersion.fileName}><FileName name={d.currentVersion.fileName} /></a>{' '}
                              <span class="muted">v{d.currentVersion.version} · {t('portal.pages', { n: String(d.currentVersion.pageCount) })}</span>
                            </li>
                          )}
                        </For>
                      </ul>
                    </li>
                  )}
                </For>
              </ol>
            </Show>
          </article>
        )}
      </For>
      <RecentMinutes />
    </section>
  );
}
