import { A, useParams } from '@solidjs/router';
import { createResource, createSignal, For, Show } from 'solid-js';
import type { ComplaintView } from '../../protocol/complaints';
import { locale, t } from '../i18n';
import { api, ApiError } from '../lib/api';
import { localName } from '../lib/dossiers';
import { CaseHistory } from './CaseHistory';

/** One report, for its reporter (follows it) and for the office (assigns, resolves, rejects, writes). */
export function ComplaintPage() {
  const params = useParams();
  const [complaint, { mutate, refetch }] = createResource(() => Number(params.id), (id) => api.complaints.get(id));
  const [error, setError] = createSignal('');
  const step = async (f: (c: ComplaintView) => Promise<ComplaintView>) => {
    setError('');
    try {
      mutate(await f(complaint()!));
    } catch (e) {
      setError(t('cases.errors.generic', { message: e instanceof ApiError ? e.message : String(e) }));
    }
  };
  const field = (e: SubmitEvent, name: string) => String(new FormData(e.currentTarget as HTMLFormElement).get(name) ?? '').trim();
  const open = (c: ComplaintView) => c.status === 'received' || c.status === 'in_progress';

  return (
    <Show when={complaint()}>
      {(c) => (
        <section class="stack" data-testid="complaint">
          <A href={c().viewer === 'office' ? '/office/complaints' : '/portal/complaints'}>←</A>
          <h1><span class="ref">{c().reference}</span> · {localName(c().category)}</h1>
          <p><span class={`status status-${c().status}`} data-testid="complaint-status">{t(`cases.status.${c().status}`)}</span></p>
          <p style={{ 'white-space': 'pre-wrap' }}>{c().description}</p>
          <p class="muted">
            {[c().neighbourhood, c().address, c().point ? `${c().point!.lat}, ${c().point!.lng}` : ''].filter(Boolean).join(' · ')}
          </p>
          <p class="muted">
            {c().reporter ? (locale() === 'ar' ? c().reporter!.nameAr : c().reporter!.nameFr) : t('cases.reporterHidden')}
            {c().service ? ` · ${t('cases.service')}: ${c().service}` : ''}
          </p>
          <Show when={c().rejectionReason}><p class="error">{c().rejectionReason}</p></Show>
          <div class="row">
            <For each={c().photos}>
              {(p) => <img src={api.complaints.photoUrl(c().id, p.id)} width={Math.min(p.width, 160)} alt="" data-testid="complaint-photo" style={{ height: 'auto' }} />}
            </For>
          </div>
          <Show when={c().viewer === 'office' && open(c())}>
            <div class="stack card">
              <form class="row" onSubmit={(e) => { e.preventDefault(); const s = field(e, 'service'); if (s) void step((x) => api.complaints.assign(x.id, s)); }}>
                <label>{t('cases.service')}<input name="service" required maxLength={100} value={c().service ?? ''} /></label>
                <button type="submit" data-testid="assign">{t('cases.assign')}</button>
              </form>
              <form class="row" onSubmit={(e) => { e.preventDefault(); const n = field(e, 'note'); void step((x) => api.complaints.resolve(x.id, n)); }}>
                <label>{t('cases.note')}<input name="note" maxLength={4000} /></label>
                <button type="submit" data-testid="resolve">{t('cases.resolve')}</button>
              </form>
              <form class="row" onSubmit={(e) => { e.preventDefault(); const r = field(e, 'reason'); if (r) void step((x) => api.complaints.reject(x.id, r)); }}>
                <label>{t('cases.rejectReason')}<input name="reason" required maxLength={4000} /></label>
                <button type="submit" class="secondary">{t('cases.reject')}</button>
              </form>
            </div>
          </Show>
          <Show when={error()}><p class="error" role="alert">{error()}</p></Show>
          <CaseHistory ns="cases" messages={c().messages} timeline={c().timeline} timelineTestId="complaint-timeline"
            onSend={async (body) => { await api.complaints.sendMessage(c().id, body); await refetch(); }} />
        </section>
      )}
    </Show>
  );
}
