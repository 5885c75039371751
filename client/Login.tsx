import { useNavigate } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import type { Me } from '../protocol/auth';
import { t } from './i18n';
import { ApiError } from './lib/api';
import { login } from './lib/session';

/** Where each role lands after logging in. */
export function homeOf(user: Me): string {
  const roles = new Set(user.memberships.map((m) => m.role));
  if (roles.has('secretary') || roles.has('admin')) return '/office';
  if (roles.has('chair') || roles.has('member')) return '/meeting';
  // The access-to-information office: the requests to answer, with days left and the overdue first.
  if (roles.has('information_officer')) return '/office';
  return '/portal';
}

export function Login() {
  const navigate = useNavigate();
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    setBusy(true);
    setError();
    try {
      const user = await login(String(form.get('email')), String(form.get('password')));
      navigate(homeOf(user));
    } catch (err) {
      setError(err instanceof ApiError && err.code === 'too_many_attempts' ? t('login.tooMany') : t('login.failed'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card narrow">
      <h1>{t('login.title')}</h1>
      <form onSubmit={submit} class="stack">
        <label>
          {t('login.email')}
          <input name="email" type="email" autocomplete="username" required dir="ltr" />
        </label>
        <label>
          {t('login.password')}
          <input name="password" type="password" autocomplete="current-password" required dir="ltr" />
        </label>
        <Show when={error()}>
          <p class="error" role="alert">{error()}</p>
        </Show>
        <button type="submit" disabled={busy()}>{t('login.submit')}</button>
      </form>
    </section>
  );
}
