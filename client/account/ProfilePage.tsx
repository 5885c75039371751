import { createResource, createSignal, Show } from 'solid-js';
import type { InvalidPhoneReason } from '../../protocol/personalData';
import { t } from '../i18n';
import { api, ApiError } from '../lib/api';

/** The person's own profile: the mobile number and whether notices also come by SMS. */
export function ProfilePage() {
  const [sms] = createResource(() => api.me.sms());
  const [problem, setProblem] = createSignal<InvalidPhoneReason | undefined>();
  const [saved, setSaved] = createSignal('');
  const [failed, setFailed] = createSignal('');

  async function save(e: SubmitEvent) {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    setProblem(undefined);
    setSaved('');
    setFailed('');
    try {
      const number = String(f.get('number') ?? '').trim();
      const result = await api.me.setSms({ number: number || null, optIn: f.get('optIn') === 'on' });
      setSaved(result.smsOptIn && result.smsNumber ? t('account.saved', { number: result.smsNumber }) : t('account.savedOff'));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'invalid_phone') setProblem((err.details as { reason: InvalidPhoneReason }).reason);
      else setFailed(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <section class="stack narrow">
      <h1>{t('account.title')}</h1>
      <Show when={sms()}>
        {(current) => (
          <form class="card stack" onSubmit={save} data-testid="sms-form" noValidate>
            <h2>{t('account.smsTitle')}</h2>
            <p class="muted">{t('account.smsIntro')}</p>
            <label>
              {t('account.number')}
              {/* A phone number reads left to right in every language. */}
              <input
                name="number" type="tel" inputMode="tel" autocomplete="tel" dir="ltr" maxLength={40}
                value={current().smsNumber ?? ''} aria-describedby="sms-number-hint sms-number-error"
                aria-invalid={problem() ? 'true' : 'false'} data-testid="sms-number"
              />
            </label>
            <small id="sms-number-hint" class="muted">{t('account.numberHint')}</small>
            <Show when={problem()}>
              {(reason) => <p id="sms-number-error" class="error" role="alert" data-testid="sms-error">{t(`account.invalid.${reason()}`)}</p>}
            </Show>
            <label class="check">
              <input type="checkbox" name="optIn" checked={current().smsOptIn} data-testid="sms-opt-in" />
              {t('account.optIn')}
            </label>
            <div class="row">
              <button type="submit" data-testid="sms-save">{t('account.save')}</button>
            </div>
            <Show when={saved()}><p class="ok" role="status" data-testid="sms-saved"><bdi>{saved()}</bdi></p></Show>
            <Show when={failed()}><p class="error" role="alert">{failed()}</p></Show>
          </form>
        )}
      </Show>
    </section>
  );
}
