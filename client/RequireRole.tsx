import { Navigate } from '@solidjs/router';
import { Match, Switch, type ParentProps } from 'solid-js';
import type { Role } from '../protocol/enums';
import { t } from './i18n';
import { hasAnyRole, me } from './lib/session';

/** Shows its children to the given roles; sends a logged-out visitor to the login page. */
export function RequireRole(props: ParentProps<{ roles: readonly Role[] }>) {
  return (
    <Switch>
      <Match when={me.loading}>
        <p class="muted">…</p>
      </Match>
      <Match when={!me()}>
        <Navigate href="/login" />
      </Match>
      <Match when={!hasAnyRole(props.roles)}>
        <p class="error" role="alert">{t('errors.forbidden')}</p>
      </Match>
      <Match when={true}>{props.children}</Match>
    </Switch>
  );
}
