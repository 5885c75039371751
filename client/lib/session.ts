import { createResource, createRoot } from 'solid-js';
import type { Role } from '../../protocol/enums';
import { api, ApiError } from './api';

/** The logged-in user (undefined when logged out), loaded once and refreshed on login/logout. */
export const { me, refreshMe, hasAnyRole } = createRoot(() => {
  const [me, { refetch }] = createResource(async () => {
    try {
      return await api.auth.me();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return undefined;
      throw e;
    }
  });
  const hasAnyRole = (roles: readonly Role[]) =>
    !!me()?.memberships.some((m) => m.role === 'admin' || roles.includes(m.role));
  return { me, refreshMe: refetch, hasAnyRole };
});

export async function login(email: string, password: string) {
  const user = await api.auth.login({ email, password });
  await refreshMe();
  return user;
}

export async function logout(): Promise<void> {
  await api.auth.logout();
  await refreshMe();
}
