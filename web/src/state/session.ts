// Who is logged in. The session cookie is HttpOnly, so the app asks /me, but
// only when the readable CSRF cookie says a session may exist.
import { signal } from '@preact/signals';
import { api, ApiError, hasSessionCookie, setUnauthenticatedHandler } from '../api/client';
import type { LoginReply, MeReply, User } from '../api/types';

export const user = signal<User | null>(null);
export const sessionExpiresAt = signal<string | null>(null);
/** False until the first check has answered. */
export const sessionKnown = signal(false);

setUnauthenticatedHandler(() => {
  user.value = null;
  sessionExpiresAt.value = null;
});

export async function refreshSession(): Promise<void> {
  if (!hasSessionCookie()) {
    user.value = null;
    sessionKnown.value = true;
    return;
  }
  try {
    const me = await api.get<MeReply>('/me');
    user.value = me.user;
    sessionExpiresAt.value = me.session_expires_at;
  } catch (e) {
    if (!(e instanceof ApiError) || e.status === 401) user.value = null;
  } finally {
    sessionKnown.value = true;
  }
}

export async function login(loginName: string, password: string): Promise<User> {
  const reply = await api.post<LoginReply>('/auth/login', { login: loginName, password });
  user.value = reply.user;
  sessionExpiresAt.value = reply.expires_at;
  sessionKnown.value = true;
  return reply.user;
}

export async function register(loginName: string, password: string, displayName: string): Promise<User> {
  await api.post<{ user: User }>('/auth/register', { login: loginName, password, display_name: displayName });
  return login(loginName, password);
}

export async function logout(): Promise<void> {
  try {
    await api.post<void>('/auth/logout');
  } catch (e) {
    // An expired session is as good as a logged-out one.
    if (!(e instanceof ApiError) || e.status !== 401) throw e;
  }
  user.value = null;
  sessionExpiresAt.value = null;
}

export async function changeDisplayName(displayName: string): Promise<User> {
  const reply = await api.patch<{ user: User }>('/me', { display_name: displayName });
  user.value = reply.user;
  return reply.user;
}

export async function changePassword(oldPassword: string, newPassword: string): Promise<void> {
  await api.post<void>('/me/password', { old_password: oldPassword, new_password: newPassword });
}
