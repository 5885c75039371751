import { A, useParams } from '@solidjs/router';
import { createResource, createSignal, For, Show } from 'solid-js';
import type { InformationRequestView } from '../../protocol/informationRequests';
import { formatDay } from '../../protocol/municipalTime';
import { FilePicker } from '../FilePicker';
import { t } from '../i18n';
import { api, ApiError } from '../lib/api';
import { localName } from '../lib/dossiers';
import { CaseHistory } from './CaseHistory';
import { FileName } from '../FileName';

/** The law's clock in words: what is due by when, or what the silence means and the appeals it opens. */
function ClockText(props: { r: InformationRequestView }) {
  const c = () => props.r.clock;
  return (
    <div class="stack" data-testid="clock">
      <Show when={c().daysRemaining !== null}>
        <p>{t('information.due', { date: formatDay(c().dueOn) })} — {c().hoursRemaining !== null ? t('information.hoursLeft', { n: String(c().hoursRemaining) }) : t('information.daysLeft', { n: String(c().daysRemaining) })}</p>
      </Show>
      <Show when={c().answeredInTime}><p class="ok">{t('information.answeredInTime')}</p></Show>
      <Show when={c().answeredLate}><p class="error">{t('information.answeredLate')}</p></Show>
      <Show when={c().impliedRefusal}><p class="error" data-testid="implied-refusal">{t('information.impliedRefusal')}</p></Show>
      <Show when={c().inaiAppealBy}>
        <p data-testid="rights">{c().appealOpen
          ? t('information.rights', { appeal: formatDay(c().appealFileBy!), inai: formatDay(c().inaiAppealBy!) })
          : t('information.inaiOnly', { inai: formatDay(c().inaiAppealBy!) })}</p>
      </Show>
    </div>
  );
}

/** One request, for its requester (follows it, appeals) and for the information officer (answers, refuses, extends). */
export function InformationPage() {
  const params = useParams();
  const [request, { mutate, refetch }] = createResource(() => Number(params.id), (id) => api.informationRequests.get(id));
  const [grounds] = createResource(() => request()?.viewer === 'officer' && request()!.municipality.id, (id) => api.informationRequests.refusalGrounds(id));
  const [error, setError] = createSignal('');
  const run = async (f: () => Promise<unknown>) => {
    setError('');
    try {
      await f();
      mutate(await api.informationRequests.get(request()!.id));
    } catch (e) {
      setError(t('information.errors.generic', { message: e instanceof ApiError ? e.message : String(e) }));
    }
  };
  const field = (e: SubmitEvent, name: string) => String(new FormData(e.currentTarget as HTMLFormElement).get(name) ?? '').trim();
  const waiting = (r: InformationRequestView) => r.status === 'received' || r.status === 'extended' || r.status === 'appeal_decided';

  return (
    <Show when={request()}>
      {(r) => (
        <section class="stack" data-testid="information-request">
          <A href={r().viewer === 'officer' ? '/office/information' : '/portal/information'}>←</A>
          <h1><span class="ref">{r().reference}</span> · {r().subject}</h1>
          <p><span class={`status status-${r().status}`} data-testid="information-status">{t(`information.status.${r().status}`)}</span> · {t(`information.form.${r().accessForm}`)}</p>
          <p style={{ 'white-space': 'pre-wrap' }}>{r().description}</p>
          <ClockText r={r()} />
          <Show when={r().refusal}>{(x) => <p class="error">{t('information.refusal', { ground: localName(x().ground) })} — {x().reasons}</p>}</Show>
          <Show when={r().referredTo}><p>{t('information.referredTo', { to: r().referredTo! })}</p></Show>
          <Show when={r().answerNote}><p data-testid="answer-note">{r().answerNote}</p></Show>
          <Show when={r().documents.length}>
            <h2>{t('information.documents')}</h2>
            <ul data-testid="answer-documents">
              <For each={r().documents}>{(d) => <li><a href={api.informationRequests.documentUrl(r().id, d.id)} download={d.fileName}><FileName name={d.fileName} /></a> <span class="muted">{d.pageCount} p.</span></li>}</For>
            </ul>
          </Show>
          <Show when={r().viewer === 'officer' && waiting(r())}>
            <div class="stack card">
              <FilePicker label={t('information.attach')} accept="application/pdf" data-testid="attach" onFiles={([file]) => {
                if (file) void run(() => api.informationRequests.attach(r().id, file, () => {}));
              }} />
              <form class="row" onSubmit={(e) => { e.preventDefault(); const n = field(e, 'note'); void run(() => api.informationRequests.answer(r().id, n)); }}>
                <label>{t('information.answerNote')}<input name="note" maxLength={4000} /></label>
                <button type="submit" data-testid="answer">{t('information.answer')}</button>
              </form>
              <Show when={r().status !== 'appeal_decided'}>
                <form class="row" onSubmit={(e) => { e.preventDefault(); const g = field(e, 'ground'), why = field(e, 'reasons'); void run(() => api.informationRequests.refuse(r().id, g, why)); }}>
                  <label>{t('information.ground')}
                    <select name="ground"><For each={grounds()}>{(g) => <option value={g.code}>{localName(g)}</option>}</For></select>
                  </label>
                  <label>{t('information.reasons')}<input name="reasons" required maxLength={4000} /></label>
                  <button type="submit" class="secondary">{t('information.refuse')}</button>
                </form>
              </Show>
              <Show when={r().status === 'received' && r().clock.delay.unit === 'days'}>
                <form class="row" onSubmit={(e) => { e.preventDefault(); const why = field(e, 'reason'); void run(() => api.informationRequests.extend(r().id, why)); }}>
                  <label>{t('information.extendReason')}<input name="reason" required maxLength={4000} /></label>
                  <button type="submit" class="secondary">{t('information.extend')}</button>
                </form>
              </Show>
            </div>
          </Show>
          <Show when={r().viewer === 'requester' && r().clock.appealOpen}>
            <form class="stack card" onSubmit={(e) => { e.preventDefault(); const g = field(e, 'grounds'); void run(() => api.informationRequests.appeal(r().id, g)); }}>
              <label>{t('information.appealGrounds')}<textarea name="grounds" rows={3} required maxLength={4000} /></label>
              <button type="submit" data-testid="appeal">{t('information.appeal')}</button>
            </form>
          </Show>
          <Show when={error()}><p class="error" role="alert">{error()}</p></Show>
          <CaseHistory ns="information" messages={r().messages} timeline={r().timeline}
            onSend={async (body) => { await api.informationRequests.sendMessage(r().id, body); await refetch(); }} />
        </section>
      )}
    </Show>
  );
}
