// The main navigation: the bottom bar on phones, the top bar on wide screens.
import type { MessageKey } from './i18n';
import type { IconName } from './components/Icon';

export interface NavItem {
  href: string;
  labelKey: MessageKey;
  icon: IconName;
  /** Other paths under which this item shows as current. */
  alsoFor?: string[];
}

export const navItems: NavItem[] = [
  { href: '/', labelKey: 'nav.home', icon: 'home' },
  { href: '/categories', labelKey: 'nav.categories', icon: 'grid' },
  { href: '/live', labelKey: 'nav.live', icon: 'live' },
  { href: '/cart', labelKey: 'nav.cart', icon: 'cart' },
  {
    href: '/account',
    labelKey: 'nav.me',
    icon: 'user',
    alsoFor: ['/login', '/register', '/seller', '/officer', '/stats', '/orders', '/pay'],
  },
];

export function isCurrent(item: NavItem, path: string): boolean {
  const under = (base: string) => (base === '/' ? path === '/' : path === base || path.startsWith(base + '/'));
  return under(item.href) || (item.alsoFor ?? []).some(under);
}
