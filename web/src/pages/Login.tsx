import type { TargetedSubmitEvent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Field } from '../components/Field';
import { ProblemAlert } from '../components/ProblemAlert';
import { useSubmit } from '../components/useSubmit';
import { t } from '../i18n';
import { Link, navigate, safeNext } from '../router';
import type { PageProps } from '../routes';
import { mergeGuestCart } from '../state/guestCart';
import { login, user } from '../state/session';

export default function Login({ query }: PageProps) {
  const [loginName, setLoginName] = useState('');
  const [password, setPassword] = useState('');
  const form = useSubmit(['login', 'password']);
  const loggedIn = !!user.value;

  // Someone already logged in has nothing to do here.
  useEffect(() => {
    if (loggedIn && !form.busy) navigate(safeNext(query), { replace: true });
  }, [loggedIn]);

  const submit = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!loginName.trim()) return form.fail('login', t('form.required', { field: t('field.login') }));
    if (!password) return form.fail('password', t('form.required', { field: t('field.password') }));
    const done = await form.run(async () => {
      const me = await login(loginName.trim(), password);
      // What the visitor put in the cart moves into the account. A failure must
      // not undo the login: the lines stay in this browser and the cart page retries.
      await mergeGuestCart().catch(() => null);
      return me;
    });
    if (done) navigate(safeNext(query), { replace: true });
  };

  const registerHref = query.get('next') ? `/register?next=${encodeURIComponent(query.get('next')!)}` : '/register';
  return (
    <div class="page page-narrow">
      <h1>{t('login.title')}</h1>
      <form id="login-form" class="form card" onSubmit={submit} noValidate>
        <ProblemAlert error={form.error} id="login-error" />
        <Field
          id="login-login"
          name="login"
          labelKey="field.login"
          value={loginName}
          onValue={setLoginName}
          error={form.fieldErrors.login}
          autoComplete="username"
          required
          inputRef={form.ref('login')}
          dir="ltr"
        />
        <Field
          id="login-password"
          name="password"
          type="password"
          labelKey="field.password"
          value={password}
          onValue={setPassword}
          error={form.fieldErrors.password}
          autoComplete="current-password"
          required
          inputRef={form.ref('password')}
          dir="ltr"
        />
        <button type="submit" class="button button-block" disabled={form.busy} aria-busy={form.busy}>
          {form.busy ? t('common.working') : t('login.submit')}
        </button>
      </form>
      <p class="form-switch">
        {t('login.noAccount')} <Link href={registerHref}>{t('login.toRegister')}</Link>
      </p>
    </div>
  );
}
