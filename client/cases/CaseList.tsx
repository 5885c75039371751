import { A } from '@solidjs/router';
import { createEffect, createSignal, For, on, Show } from 'solid-js';
import { CASE_KINDS, CASE_STATUSES, type CaseKind, type CasePage, type CaseRow } from '../../protocol/cases';
import { locale, t } from '../i18n';
import { api, ApiError } from '../lib/api';
import { deadlineText, formatDateTime, formatDay, localName, statusLabel } from '../lib/dossiers';

const PAGE = 20;

/** Where a case's own page is, for its person or for the office. */
export function caseHref(row: Pick<CaseRow, 'kind' | 'id'>, office: boolean): string {
  const path = { dossier: 'dossiers', information_request: 'information', complaint: 'complaints' }[row.kind];
  return `/${office ? 'office' : 'portal'}/${path}/${row.id}`;
}

/** A status in words, by the case's kind. */
export function caseStatus(kind: CaseKind, status: string): string {
  if (kind === 'dossier') return statusLabel(status);
  return t(`${kind === 'complaint' ? 'cases' : 'information'}.status.${status}` as 'cases.status.received');
}

/** What is due next, in words: a permit's legal days, a request's days or hours (or its implied refusal); complaints have no legal clock. */
export function dueText(row: CaseRow): string {
  if (!row.due) return row.kind === 'complaint' ? t('caseList.noClock') : '—';
  if (row.kind === 'dossier') return deadlineText(row.due);
  if (row.due.overdue) return t('caseList.impliedRefusal');
  if (row.due.hoursRemaining !== null) return t('caseList.hoursLeft', { n: String(row.due.hoursRemaining) });
  return `${t('information.daysLeft', { n: String(row.due.daysRemaining) })} — ${t('information.due', { date: formatDay(row.due.dueOn ?? '') })}`;
}

/** What the case is about: a permit's type, a report's category, a request's subject. */
const whatOf = (row: CaseRow) => (row.what ? localName(row.what) : row.detail);

/**
 * A list of cases of every kind, a page at a time with "show more", filtered by kind (and,
 * for the office's queue of one kind, by status): the applicant's own (cards, most recently
 * active first) or the office's queue (a table, most urgent first).
 */
export function CaseList(props: { office: boolean; kinds: readonly CaseKind[] }) {
  const [kind, setKind] = createSignal<CaseKind | ''>('');
  const [status, setStatus] = createSignal('');
  const [page, setPage] = createSignal<CasePage>({ rows: [], total: 0 });
  const [error, setError] = createSignal('');
  const load = async (offset: number) => {
    setError('');
    try {
      const q = { type: kind() || undefined, limit: PAGE, offset };
      const next = props.office ? await api.cases.office({ ...q, type: kind() || 'all', status: status() || undefined }) : await api.cases.mine(q);
      setPage((p) => ({ total: next.total, rows: offset ? [...p.rows, ...next.rows] : next.rows }));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  createEffect(on([kind, status], () => void load(0)));
  const person = (row: CaseRow) => (row.person ? (locale() === 'ar' ? row.person.nameAr : row.person.nameFr) : t('caseList.anonymous'));

  return (
    <div class="stack" data-testid="cases">
      <div class="row">
        <label class="row">{t('caseList.kindFilter')}
          <select data-testid="case-kind-filter" value={kind()} onChange={(e) => { setStatus(''); setKind(e.currentTarget.value as CaseKind | ''); }}>
            <option value="">{t('caseList.allKinds')}</option>
            <For each={CASE_KINDS.filter((k) => props.kinds.includes(k))}>{(k) => <option value={k}>{t(`caseList.kind.${k}`)}</option>}</For>
          </select>
        </label>
        <Show when={props.office && kind()}>
          {(k) => (
            <label class="row">{t('office.statusColumn')}
              <select data-testid="status-filter" value={status()} onChange={(e) => setStatus(e.currentTarget.value)}>
                <option value="">{t('office.all')}</option>
                <For each={CASE_STATUSES[k() as CaseKind].filter((s) => s !== 'draft')}>{(s) => <option value={s}>{caseStatus(k() as CaseKind, s)}</option>}</For>
              </select>
            </label>
          )}
        </Show>
      </div>
      <Show when={error()}><p class="error" role="alert">{error()}</p></Show>
      <Show when={page().rows.length} fallback={<p class="muted">{t('caseList.none')}</p>}>
        <Show when={props.office} fallback={
          <ul class="list" data-testid="my-cases">
            <For each={page().rows}>
              {(row) => (
                <li class={`card row${row.due?.overdue ? ' overdue' : ''}`} data-kind={row.kind}>
                  <span class="muted">{t(`caseList.kind.${row.kind}`)}</span>
                  <A class="ref" href={caseHref(row, false)}>{row.reference ?? t('portal.draftNoRef')}</A>
                  <bdi>{whatOf(row)}</bdi>
                  <span class={`status status-${row.status}`}>{caseStatus(row.kind, row.status)}</span>
                  <span class={row.due?.overdue ? 'error' : 'muted'}>{dueText(row)}</span>
                  <span class="muted">{t('caseList.lastActivity', { at: formatDateTime(row.lastActivityAt) })}</span>
                </li>
              )}
            </For>
          </ul>
        }>
          <div class="table-wrap">
            <table data-testid="queue">
              <thead><tr>
                <th>{t('caseList.kindFilter')}</th><th>{t('portal.reference')}</th><th>{t('caseList.what')}</th><th>{t('caseList.person')}</th>
                <th>{t('office.statusColumn')}</th><th>{t('office.daysLeft')}</th>
              </tr></thead>
              <tbody>
                <For each={page().rows}>
                  {(row) => (
                    <tr class={row.due?.overdue ? 'overdue' : ''} data-kind={row.kind}>
                      <td>{t(`caseList.kind.${row.kind}`)}</td>
                      <td><A class="ref" href={caseHref(row, true)}>{row.reference}</A></td>
                      <td><bdi>{whatOf(row)}</bdi></td>
                      <td><bdi>{person(row)}</bdi></td>
                      <td>{caseStatus(row.kind, row.status)}</td>
                      <td>
                        {row.due?.daysRemaining ?? '—'} {row.due?.overdue ? `(${t('office.overdue')})` : ''}<br /><small class="muted">{dueText(row)}</small>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </Show>
        <div class="row">
          <span class="muted" data-testid="case-count">{t('caseList.count', { shown: String(page().rows.length), total: String(page().total) })}</span>
          <Show when={page().rows.length < page().total}>
            <button type="button" class="secondary" data-testid="more-cases" onClick={() => void load(page().rows.length)}>{t('caseList.more')}</button>
          </Show>
        </div>
      </Show>
    </div>
  );
}
