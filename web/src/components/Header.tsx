import type { TargetedSubmitEvent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n';
import { isCurrent, navItems } from '../nav';
import { Link, location, navigate } from '../router';
import { Icon } from './Icon';
import { LanguageSwitcher } from './LanguageSwitcher';

function SearchForm() {
  const current = location.value.path === '/search' ? (location.value.query.get('q') ?? '') : '';
  const [q, setQ] = useState(current);
  useEffect(() => setQ(current), [current]);
  const submit = (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    const text = q.trim();
    navigate(text ? `/search?q=${encodeURIComponent(text)}` : '/search');
  };
  return (
    <form class="search" role="search" onSubmit={submit}>
      <label for="search-q" class="visually-hidden">
        {t('search.label')}
      </label>
      <input
        id="search-q"
        name="q"
        type="search"
        value={q}
        onInput={(e) => setQ(e.currentTarget.value)}
        placeholder={t('search.placeholder')}
        enterKeyHint="search"
        autoComplete="off"
      />
      <button type="submit" class="search-button">
        <Icon name="search" size={20} />
        <span class="visually-hidden">{t('search.submit')}</span>
      </button>
    </form>
  );
}

export function NavBar() {
  const path = location.value.path;
  return (
    <nav class="tabbar" aria-label={t('nav.label')}>
      <ul>
        {navItems.map((item) => {
          const current = isCurrent(item, path);
          return (
            <li key={item.href}>
              <Link href={item.href} class="tab" aria-current={current ? 'page' : undefined} data-nav={item.icon}>
                <Icon name={item.icon} />
                <span class="tab-label">{t(item.labelKey)}</span>
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

export function Header() {
  return (
    <header class="topbar">
      <Link href="/" class="brand">
        <span class="brand-mark" aria-hidden="true">
          <Icon name="leaf" size={22} />
        </span>
        <span class="brand-name">{t('app.name')}</span>
      </Link>
      <SearchForm />
      <NavBar />
      <LanguageSwitcher id="lang-select" />
    </header>
  );
}
