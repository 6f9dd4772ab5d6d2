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

export const routes: RouteDef[] = [
  { path: '/', titleKey: 'home.title', page: Home },
  { path: '/login', titleKey: 'login.title', load: () => import('./pages/Login') },
  { path: '/register', titleKey: 'register.title', load: () => import('./pages/Register') },
  { path: '/account', titleKey: 'account.title', load: () => import('./pages/Account'), requiresLogin: true },
  {
    path: '/account/addresses',
    titleKey: 'addresses.title',
    load: () => import('./pages/Addresses'),
    requiresLogin: true,
  },
  {
    path: '/account/coupons',
    titleKey: 'coupons.mineTitle',
    load: () => import('./pages/MyCoupons'),
    requiresLogin: true,
  },
  { path: '/regions', titleKey: 'regions.title', load: () => import('./pages/Regions') },
  { path: '/categories', titleKey: 'categories.title', load: () => import('./pages/Categories') },
  { path: '/live', titleKey: 'live.title', load: () => import('./pages/Live') },
  { path: '/live/:id', titleKey: 'live.roomTitle', load: () => import('./pages/LiveRoom') },
  { path: '/cart', titleKey: 'cart.title', load: () => import('./pages/Cart') },
  { path: '/checkout', titleKey: 'checkout.title', load: () => import('./pages/Checkout'), requiresLogin: true },
  { path: '/orders', titleKey: 'orders.title', load: () => import('./pages/Orders'), requiresLogin: true },
  { path: '/pay/:id', titleKey: 'pay.title', load: () => import('./pages/Pay'), requiresLogin: true },
  {
    path: '/orders/:id',
    titleKey: 'orders.detailTitle',
    load: () => import('./pages/OrderDetail'),
    requiresLogin: true,
  },
  { path: '/search', titleKey: 'search.title', load: () => import('./pages/Search') },
  { path: '/product/:id', titleKey: 'product.title', load: () => import('./pages/Product') },
  { path: '/shop/:id', titleKey: 'shop.title', load: () => import('./pages/Shop') },
  { path: '/seller', titleKey: 'seller.title', load: () => import('./pages/seller/SellerHome'), requiresLogin: true },
  {
    path: '/seller/shops/:id',
    titleKey: 'sellerShop.title',
    load: () => import('./pages/seller/SellerShop'),
    requiresLogin: true,
  },
  {
    path: '/seller/shops/:shopId/new',
    titleKey: 'editor.newTitle',
    load: () => import('./pages/seller/ProductEditor'),
    requiresLogin: true,
  },
  {
    path: '/seller/products/:id',
    titleKey: 'editor.editTitle',
    load: () => import('./pages/seller/ProductEditor'),
    requiresLogin: true,
  },
  {
    path: '/seller/shops/:id/orders',
    titleKey: 'sellerOrders.title',
    load: () => import('./pages/seller/SellerOrders'),
    requiresLogin: true,
  },
  {
    path: '/seller/shops/:id/refunds',
    titleKey: 'sellerRefunds.title',
    load: () => import('./pages/seller/SellerRefunds'),
    requiresLogin: true,
  },
  {
    path: '/seller/shops/:id/shipping',
    titleKey: 'shipping.title',
    load: () => import('./pages/seller/ShippingTemplate'),
    requiresLogin: true,
  },
  {
    path: '/seller/shops/:id/coupons',
    titleKey: 'coupons.sellerTitle',
    load: () => import('./pages/seller/SellerCoupons'),
    requiresLogin: true,
  },
  {
    path: '/seller/shops/:id/live',
    titleKey: 'sellerLive.title',
    load: () => import('./pages/seller/SellerLive'),
    requiresLogin: true,
  },
  {
    path: '/seller/live/:id',
    titleKey: 'liveConsole.title',
    load: () => import('./pages/seller/LiveConsole'),
    requiresLogin: true,
  },
  {
    path: '/seller/orders/:id',
    titleKey: 'sellerOrder.title',
    load: () => import('./pages/seller/SellerOrder'),
    requiresLogin: true,
  },
  {
    path: '/officer/shops',
    titleKey: 'officer.title',
    load: () => import('./pages/officer/ShopQueue'),
    requiresLogin: true,
  },
  { path: '/stats', titleKey: 'stats.title', load: () => import('./pages/stats/Stats'), requiresLogin: true },
];

export const notFound: RouteDef = { path: '*', titleKey: 'notFound.title', page: NotFound };
