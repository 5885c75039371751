import { A, useNavigate } from '@solidjs/router';
import { For, Show, type ParentProps } from 'solid-js';
import { LOCALES, type Locale } from '../protocol/enums';
import { locale, setLocale, t } from './i18n';
import { hasAnyRole, logout, me } from './lib/session';

/** Header with navigation by role, the language switch and the account. */
export function Layout(props: ParentProps) {
  const navigate = useNavigate();
  return (
    <div class="app">
      <header class="topbar">
        <A href="/" class="brand">
          {t('app.name')} <small>{t('app.tagline')}</small>
        </A>
        <nav class="nav">
          <Show when={hasAnyRole(['applicant'])}>
            <A href="/portal">{t('nav.portal')}</A>
            <A href="/portal/complaints">{t('cases.nav')}</A>
            <A href="/portal/information">{t('information.nav')}</A>
          </Show>
          {/* An information officer alone has the access-to-information office as the office's home; with the secretariat, its own page. */}
          <Show when={hasAnyRole(['secretary'])} fallback={<Show when={hasAnyRole(['information_officer'])}><A href="/office">{t('information.nav')}</A></Show>}>
            <A href="/office">{t('nav.office')}</A>
            <Show when={hasAnyRole(['information_officer'])}>
              <A href="/office/information">{t('information.nav')}</A>
            </Show>
          </Show>
          <Show when={hasAnyRole(['secretary'])}>
            <A href="/office/complaints">{t('cases.nav')}</A>
          </Show>
          <Show when={hasAnyRole(['member', 'chair', 'secretary'])}>
            <A href="/meeting">{t('nav.meeting')}</A>
          </Show>
          <A href="/public">{t('nav.public')}</A>
          <A href="/verify">{t('public.verify.nav')}</A>
        </nav>
        <div class="account">
          <label class="lang">
            <span class="visually-hidden">{t('lang.label')}</span>
            <select
              data-testid="language"
              value={locale()}
              onChange={(e) => setLocale(e.currentTarget.value as Locale)}
            >
              <For each={LOCALES}>{(l) => <option value={l}>{t(`lang.${l}`)}</option>}</For>
            </select>
          </label>
          <Show
            when={me()}
            fallback={<A href="/login">{t('nav.login')}</A>}
          >
            {(user) => (
              <>
                <A href="/profile" class="who" data-testid="who" title={t('account.nav')}>{locale() === 'ar' ? user().nameAr : user().nameFr}</A>
                <button type="button" onClick={() => logout().then(() => navigate('/login'))}>
                  {t('nav.logout')}
                </button>
              </>
            )}
          </Show>
        </div>
      </header>
      <main class="content">{props.children}</main>
    </div>
  );
}
