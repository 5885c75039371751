import { A } from '@solidjs/router';
import { createResource, For, Show } from 'solid-js';
import { formatDay } from '../../protocol/municipalTime';
import { t } from '../i18n';
import { api } from '../lib/api';

/** The requester's requests (with the way to file one), or the officer's queue, the most urgent first. */
export function InformationList(props: { office: boolean }) {
  const [rows] = createResource(() => api.informationRequests.list(), { initialValue: [] });
  const base = () => (props.office ? '/office/information' : '/portal/information');
  return (
    <section class="stack">
      <h1>{props.office ? t('information.queue') : t('information.mine')}</h1>
      <Show when={!props.office}><A class="button" href="/portal/information/new" data-testid="ask-information">{t('information.ask')}</A></Show>
      <Show when={rows().length} fallback={<p class="muted">{t('information.none')}</p>}>
        <ul class="list" data-testid="information-requests">
          <For each={rows()}>
            {(r) => (
              <li class={`card row${r.clock.impliedRefusal ? ' overdue' : ''}`}>
                <A class="ref" href={`${base()}/${r.id}`}>{r.reference}</A>
                <span class={`status status-${r.status}`}>{t(`information.status.${r.status}`)}</span>
                <span>{r.subject}</span>
                <Show when={r.clock.daysRemaining !== null}><span class="muted">{t('information.due', { date: formatDay(r.clock.dueOn) })}</span></Show>
                <Show when={r.clock.impliedRefusal}><span class="error">{t('information.status.refused')}</span></Show>
                <Show when={props.office}><span class="muted">{r.requesterName}</span></Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
