import type { TargetedEvent } from 'preact';
import { isLang, lang, LANGUAGES, setLang, t, type MessageKey } from '../i18n';
import { Icon } from './Icon';

// Each language is offered under its own name, whatever the current one is.
const NAME_KEYS: Record<(typeof LANGUAGES)[number], MessageKey> = {
  'zh-CN': 'lang.zh-CN',
  ug: 'lang.ug',
  en: 'lang.en',
};

export function LanguageSwitcher({ id }: { id: string }) {
  const onChange = (e: TargetedEvent<HTMLSelectElement>) => {
    const value = e.currentTarget.value;
    if (isLang(value)) void setLang(value);
  };
  return (
    <div class="lang-switcher">
      <label for={id} class="lang-label">
        <Icon name="globe" size={20} />
        <span class="visually-hidden">{t('lang.label')}</span>
      </label>
      <select id={id} value={lang.value} onChange={onChange}>
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l} dir={l === 'ug' ? 'rtl' : 'ltr'}>
            {t(NAME_KEYS[l])}
          </option>
        ))}
      </select>
    </div>
  );
}
