import { createResource, createSignal, Show } from 'solid-js';
import { t } from '../i18n';
import { api, ApiError } from '../lib/api';

/** yyyy-mm as MM/yyyy, day-first like every date on the screen. */
const monthText = (month: string) => month.split('-').reverse().join('/');

/** For the municipality's admin: this month's SMS against the monthly quota, and the quota to change. */
export function SmsQuota(props: { municipalityId: number }) {
  const [quota, { mutate }] = createResource(() => props.municipalityId, (id) => api.municipalities.smsQuota(id));
  const [failed, setFailed] = createSignal('');

  async function save(e: SubmitEvent) {
    e.preventDefault();
    const raw = String(new FormData(e.currentTarget as HTMLFormElement).get('quota') ?? '').trim();
    setFailed('');
    try {
      mutate(await api.municipalities.setSmsQuota(props.municipalityId, { quota: raw === '' ? null : Number(raw) }));
    } catch (err) {
      setFailed(err instanceof ApiError ? err.message : String(err));
    }
  }

  return (
    <Show when={quota()}>
      {(q) => (
        <section class="card stack" data-testid="sms-quota">
          <h2>{t('account.quotaTitle')}</h2>
          <p data-testid="sms-quota-used">
            {q().quota === null
              ? t('account.quotaUnlimited', { used: String(q().used), month: monthText(q().month) })
              : t('account.quotaUsed', { used: String(q().used), quota: String(q().quota), month: monthText(q().month) })}
          </p>
          <Show when={q().dropped > 0}><p class="error" data-testid="sms-quota-dropped">{t('account.quotaDropped', { dropped: String(q().dropped) })}</p></Show>
          <form class="row" onSubmit={save}>
            <label>{t('account.quotaLabel')}<input name="quota" type="number" min="0" max="1000000" step="1" value={q().quota ?? ''} data-testid="sms-quota-input" /></label>
            <button type="submit" data-testid="sms-quota-save">{t('account.quotaSave')}</button>
          </form>
          <Show when={failed()}><p class="error" role="alert">{failed()}</p></Show>
        </section>
      )}
    </Show>
  );
}
