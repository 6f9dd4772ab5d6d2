import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import { Field } from '../components/Field';
import { ProblemAlert } from '../components/ProblemAlert';
import { useSubmit } from '../components/useSubmit';
import { t } from '../i18n';
import { Link, navigate, safeNext } from '../router';
import type { PageProps } from '../routes';
import { register } from '../state/session';

export default function Register({ query }: PageProps) {
  const [loginName, setLoginName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const form = useSubmit(['login', 'display_name', 'password', 'confirm']);

  const submit = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (password !== confirm) return form.fail('confirm', t('register.mismatch'));
    const done = await form.run(() => register(loginName.trim(), password, displayName));
    if (done) navigate(safeNext(query), { replace: true });
  };

  return (
    <div class="page page-narrow">
      <h1>{t('register.title')}</h1>
      <form id="register-form" class="form card" onSubmit={submit} noValidate>
        <ProblemAlert error={form.error} id="register-error" />
        <Field
          id="register-login"
          name="login"
          labelKey="field.login"
          hintKey="register.loginHint"
          value={loginName}
          onValue={setLoginName}
          error={form.fieldErrors.login}
          autoComplete="username"
          required
          maxLength={32}
          inputRef={form.ref('login')}
          dir="ltr"
        />
        <Field
          id="register-display-name"
          name="display_name"
          labelKey="field.displayName"
          value={displayName}
          onValue={setDisplayName}
          error={form.fieldErrors.display_name}
          autoComplete="nickname"
          required
          maxLength={40}
          inputRef={form.ref('display_name')}
          dir="auto"
        />
        <Field
          id="register-password"
          name="password"
          type="password"
          labelKey="field.password"
          hintKey="register.passwordHint"
          value={password}
          onValue={setPassword}
          error={form.fieldErrors.password}
          autoComplete="new-password"
          required
          inputRef={form.ref('password')}
          dir="ltr"
        />
        <Field
          id="register-confirm"
          name="confirm"
          type="password"
          labelKey="field.confirmPassword"
          value={confirm}
          onValue={setConfirm}
          error={form.fieldErrors.confirm}
          autoComplete="new-password"
          required
          inputRef={form.ref('confirm')}
          dir="ltr"
        />
        <button type="submit" class="button button-block" disabled={form.busy} aria-busy={form.busy}>
          {form.busy ? t('common.working') : t('register.submit')}
        </button>
      </form>
      <p class="form-switch">
        {t('register.haveAccount')} <Link href="/login">{t('register.toLogin')}</Link>
      </p>
    </div>
  );
}
