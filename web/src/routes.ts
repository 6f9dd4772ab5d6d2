// The route table. A later feature adds its page here (and, if it belongs in
// the bottom navigation, to nav.ts). Pages with `load` get their own chunk and
// are fetched on first visit; `page` is bundled with the shell (keep that for
// the home page and tiny pages, so the first load stays small).
import type { ComponentType } from 'preact';
import type { MessageKey } from './i18n';
import Home from './pages/Home';
import NotFound from './pages/NotFound';

export interface PageProps {
  params: Record<string, string>;
  query: URLSearchParams;
}

export interface RouteDef {
  path: string;
  /** Document title and, by convention, the page's heading. */
  titleKey: MessageKey;
  page?: ComponentType<any>;
  load?: () => Promise<{ default: ComponentType<any> }>;
  /** Extra props handed to the page (e.g. the texts of a placeholder page). */
  props?: Record<string, unknown>;
  /** Anonymous visitors are sent to the login page first. */
  requiresLogin?: boolean;
}

const comingSoon = () => import('./pages/ComingSoon');

export const routes: RouteDef[] = [
  { path: '/', titleKey: 'home.title', page: Home },
  { path: '/login', titleKey: 'login.title', load: () => import('./pages/Login') },
  { path: '/register', titleKey: 'register.title', load: () => import('./pages/Register') },
  { path: '/account', titleKey: 'account.title', load: () => import('./pages/Account'), requiresLogin: true },
  { path: '/regions', titleKey: 'regions.title', load: () => import('./pages/Regions') },
  {
    path: '/categories',
    titleKey: 'categories.title',
    load: comingSoon,
    props: { titleKey: 'categories.title', textKey: 'categories.soon', icon: 'grid' },
  },
  {
    path: '/live',
    titleKey: 'live.title',
    load: comingSoon,
    props: { titleKey: 'live.title', textKey: 'live.soon', icon: 'live' },
  },
  {
    path: '/cart',
    titleKey: 'cart.title',
    load: comingSoon,
    props: { titleKey: 'cart.title', textKey: 'cart.soon', icon: 'cart' },
  },
  { path: '/search', titleKey: 'search.title', load: () => import('./pages/Search') },
];

export const notFound: RouteDef = { path: '*', titleKey: 'notFound.title', page: NotFound };
