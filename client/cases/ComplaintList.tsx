import { A } from '@solidjs/router';
import { createResource, createSignal, For, Show } from 'solid-js';
import { COMPLAINT_STATUSES, type ComplaintStatus } from '../../protocol/complaints';
import { t } from '../i18n';
import { api } from '../lib/api';
import { formatDateTime } from '../lib/dossiers';

/** The reporter's reports (with the way to file one), or the office's queue with a status filter. */
export function ComplaintList(props: { office: boolean }) {
  const [status, setStatus] = createSignal<ComplaintStatus | ''>('');
  const [rows] = createResource(status, (s) => api.complaints.list(s || undefined), { initialValue: [] });
  const base = () => (props.office ? '/office/complaints' : '/portal/complaints');
  return (
    <section class="stack">
      <h1>{props.office ? t('cases.queue') : t('cases.mine')}</h1>
      <Show when={!props.office}><A class="button" href="/portal/complaints/new" data-testid="report-problem">{t('cases.report')}</A></Show>
      <Show when={props.office}>
        <label class="row">{t('cases.filter')}
          <select onChange={(e) => setStatus(e.currentTarget.value as ComplaintStatus | '')}>
            <option value="">{t('cases.all')}</option>
            <For each={COMPLAINT_STATUSES}>{(s) => <option value={s}>{t(`cases.status.${s}`)}</option>}</For>
          </select>
        </label>
      </Show>
      <Show when={rows().length} fallback={<p class="muted">{t('cases.none')}</p>}>
        <ul class="list" data-testid="complaints">
          <For each={rows()}>
            {(c) => (
              <li class="card row">
                <A class="ref" href={`${base()}/${c.id}`}>{c.reference}</A>
                <span class={`status status-${c.status}`}>{t(`cases.status.${c.status}`)}</span>
                <span>{c.neighbourhood}</span>
                <span class="muted">{formatDateTime(c.createdAt)}</span>
                <span class="muted">{c.description.slice(0, 80)}</span>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
