import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import { Field } from '../components/Field';
import { ProblemAlert, StatusMessage } from '../components/ProblemAlert';
import { useSubmit } from '../components/useSubmit';
import { date, dateTime, t, type MessageKey } from '../i18n';
import { Link, navigate } from '../router';
import { changeDisplayName, changePassword, logout, sessionExpiresAt, user } from '../state/session';

const ROLE_KEYS: Record<string, MessageKey> = {
  buyer: 'role.buyer',
  county_officer: 'role.county_officer',
  trainer: 'role.trainer',
  admin: 'role.admin',
};

function Profile() {
  const me = user.value!;
  const expires = sessionExpiresAt.value;
  return (
    <section class="card" aria-labelledby="profile-title">
      <h2 id="profile-title">{t('account.profile')}</h2>
      <dl class="facts">
        <div>
          <dt>{t('field.login')}</dt>
          <dd dir="ltr" id="account-login">
            {me.login}
          </dd>
        </div>
        <div>
          <dt>{t('field.displayName')}</dt>
          <dd id="account-display-name">{me.display_name}</dd>
        </div>
        <div>
          <dt>{t('account.roles')}</dt>
          <dd>{me.roles.map((r) => (ROLE_KEYS[r] ? t(ROLE_KEYS[r]) : r)).join(t('common.listSeparator'))}</dd>
        </div>
        <div>
          <dt>{t('account.memberSince')}</dt>
          <dd>
            <time dateTime={me.created_at} dir="auto">
              {date(me.created_at)}
            </time>
          </dd>
        </div>
        {expires && (
          <div>
            <dt>{t('account.sessionUntil')}</dt>
            <dd>
              <time dateTime={expires} dir="auto">
                {dateTime(expires)}
              </time>
            </dd>
          </div>
        )}
      </dl>
    </section>
  );
}

/** The buyer's own things: delivery addresses and the cart. */
function BuyingLinks() {
  return (
    <section class="card" aria-labelledby="buying-title">
      <h2 id="buying-title">{t('account.buying')}</h2>
      <ul class="link-list" id="buying-links">
        <li>
          <Link href="/account/addresses" id="link-addresses">
            {t('account.addresses')}
          </Link>
          <span class="muted"> {t('account.addressesHint')}</span>
        </li>
        <li>
          <Link href="/orders" id="link-orders">
            {t('account.orders')}
          </Link>
        </li>
        <li>
          <Link href="/account/coupons" id="link-coupons">
            {t('account.coupons')}
          </Link>
          <span class="muted"> {t('account.couponsHint')}</span>
        </li>
        <li>
          <Link href="/cart" id="link-cart">
            {t('account.cart')}
          </Link>
        </li>
      </ul>
    </section>
  );
}

/** Where sellers and officers work: the seller console and the verification queue. */
function WorkLinks() {
  const roles = user.value?.roles ?? [];
  const officer = roles.includes('county_officer') || roles.includes('admin');
  return (
    <section class="card" aria-labelledby="work-title">
      <h2 id="work-title">{t('account.work')}</h2>
      <ul class="link-list" id="work-links">
        <li>
          <Link href="/seller" id="link-seller">
            {t('account.myShops')}
          </Link>
          <span class="muted"> {t('account.myShopsHint')}</span>
        </li>
        {officer && (
          <li>
            <Link href="/officer/shops" id="link-officer">
              {t('account.verifyShops')}
            </Link>
            <span class="muted"> {t('account.verifyShopsHint')}</span>
          </li>
        )}
        {officer && (
          <li>
            <Link href="/stats" id="link-stats">
              {t('account.statistics')}
            </Link>
            <span class="muted"> {t('account.statisticsHint')}</span>
          </li>
        )}
      </ul>
    </section>
  );
}

function DisplayNameForm() {
  const [name, setName] = useState(user.value?.display_name ?? '');
  const [done, setDone] = useState<string | null>(null);
  const form = useSubmit(['display_name']);
  const submit = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    setDone(null);
    const updated = await form.run(() => changeDisplayName(name));
    if (updated) {
      setName(updated.display_name);
      setDone(t('account.nameSaved'));
    }
  };
  return (
    <section class="card" aria-labelledby="name-title">
      <h2 id="name-title">{t('account.changeName')}</h2>
      <form id="name-form" class="form" onSubmit={submit} noValidate>
        <ProblemAlert error={form.error} />
        <Field
          id="account-new-name"
          name="display_name"
          labelKey="field.displayName"
          value={name}
          onValue={setName}
          error={form.fieldErrors.display_name}
          autoComplete="nickname"
          required
          maxLength={40}
          inputRef={form.ref('display_name')}
          dir="auto"
        />
        <button type="submit" class="button" disabled={form.busy} aria-busy={form.busy}>
          {t('common.save')}
        </button>
        <StatusMessage text={done} />
      </form>
    </section>
  );
}

function PasswordForm() {
  const [oldPassword, setOld] = useState('');
  const [newPassword, setNew] = useState('');
  const [confirm, setConfirm] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const form = useSubmit(['old_password', 'new_password', 'confirm']);
  const submit = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    setDone(null);
    if (newPassword !== confirm) return form.fail('confirm', t('register.mismatch'));
    const ok = await form.run(async () => {
      await changePassword(oldPassword, newPassword);
      return true;
    });
    if (ok) {
      setOld('');
      setNew('');
      setConfirm('');
      setDone(t('account.passwordChanged'));
    }
  };
  return (
    <section class="card" aria-labelledby="password-title">
      <h2 id="password-title">{t('account.changePassword')}</h2>
      <form id="password-form" class="form" onSubmit={submit} noValidate>
        <ProblemAlert error={form.error} />
        {/* Lets password managers file the new password under the right login. */}
        <input type="text" name="username" autoComplete="username" value={user.value?.login ?? ''} hidden readOnly />
        <Field
          id="account-old-password"
          name="old_password"
          type="password"
          labelKey="field.oldPassword"
          value={oldPassword}
          onValue={setOld}
          error={form.fieldErrors.old_password}
          autoComplete="current-password"
          required
          inputRef={form.ref('old_password')}
          dir="ltr"
        />
        <Field
          id="account-new-password"
          name="new_password"
          type="password"
          labelKey="field.newPassword"
          hintKey="register.passwordHint"
          value={newPassword}
          onValue={setNew}
          error={form.fieldErrors.new_password}
          autoComplete="new-password"
          required
          inputRef={form.ref('new_password')}
          dir="ltr"
        />
        <Field
          id="account-confirm-password"
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
        <button type="submit" class="button" disabled={form.busy} aria-busy={form.busy}>
          {t('account.changePassword')}
        </button>
        <StatusMessage text={done} />
      </form>
    </section>
  );
}

function LogoutSection() {
  const form = useSubmit([]);
  const onClick = async () => {
    const ok = await form.run(async () => {
      await logout();
      return true;
    });
    if (ok) navigate('/', { replace: true });
  };
  return (
    <section class="card" aria-labelledby="logout-title">
      <h2 id="logout-title" class="visually-hidden">
        {t('account.logout')}
      </h2>
      <ProblemAlert error={form.error} />
      <button type="button" id="logout" class="button button-secondary button-block" onClick={onClick} disabled={form.busy}>
        {t('account.logout')}
      </button>
    </section>
  );
}

export default function Account() {
  if (!user.value) return null;
  return (
    <div class="page page-narrow account">
      <h1>{t('account.title')}</h1>
      <Profile />
      <BuyingLinks />
      <WorkLinks />
      <DisplayNameForm />
      <PasswordForm />
      <LogoutSection />
    </div>
  );
}
