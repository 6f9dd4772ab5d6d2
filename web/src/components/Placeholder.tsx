// A section that a later feature fills in; until then it says so kindly.
import { t, type MessageKey } from '../i18n';
import { Icon, type IconName } from './Icon';

interface PlaceholderProps {
  id: string;
  titleKey: MessageKey;
  textKey: MessageKey;
  icon: IconName;
  tiles?: number;
}

export function Placeholder({ id, titleKey, textKey, icon, tiles = 4 }: PlaceholderProps) {
  return (
    <section class="home-section" aria-labelledby={`${id}-title`} id={id}>
      <h2 id={`${id}-title`}>{t(titleKey)}</h2>
      <div class="placeholder">
        <div class="placeholder-tiles" aria-hidden="true" style={{ '--tiles': String(tiles) }}>
          {Array.from({ length: tiles }, (_, i) => (
            <div class="tile" key={i}>
              <Icon name={icon} size={28} />
            </div>
          ))}
        </div>
        <p class="placeholder-text">
          <span class="badge">{t('common.comingSoon')}</span> {t(textKey)}
        </p>
      </div>
    </section>
  );
}
