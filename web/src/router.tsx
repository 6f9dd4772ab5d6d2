// A small client-side router: the location is a signal, links push history
// entries, and the route table (routes.ts) maps paths to pages.
import { signal } from '@preact/signals';
import type { ComponentChildren, PartialAnchorHTMLAttributes, TargetedMouseEvent } from 'preact';

export interface Location {
  path: string;
  query: URLSearchParams;
}

function read(): Location {
  return { path: window.location.pathname || '/', query: new URLSearchParams(window.location.search) };
}

export const location = signal<Location>(read());
/** Bumped on every navigation inside the app (not on the first load). */
export const navigations = signal(0);

window.addEventListener('popstate', () => {
  location.value = read();
  navigations.value++;
});

/**
 * Moves to another page. `quiet` only rewrites the address (a filter or a
 * choice kept in the URL): focus and scroll stay where they are.
 */
export function navigate(to: string, options: { replace?: boolean; quiet?: boolean } = {}): void {
  const url = new URL(to, window.location.href);
  if (url.origin !== window.location.origin) {
    window.location.assign(url.href);
    return;
  }
  const target = url.pathname + url.search + url.hash;
  if (options.replace || options.quiet) window.history.replaceState(null, '', target);
  else window.history.pushState(null, '', target);
  location.value = read();
  if (options.quiet) return;
  navigations.value++;
  if (!options.replace) window.scrollTo(0, 0);
}

/** The `next` query parameter, followed only when it stays inside the app. */
export function safeNext(query: URLSearchParams, fallback = '/account'): string {
  const next = query.get('next') ?? '';
  return next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : fallback;
}

/** Matches "/product/:id" style patterns; returns the params or null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const h = have[i]!;
    if (w.startsWith(':')) {
      try {
        params[w.slice(1)] = decodeURIComponent(h);
      } catch {
        return null;
      }
    } else if (w !== h) {
      return null;
    }
  }
  return params;
}

type LinkProps = Omit<PartialAnchorHTMLAttributes<HTMLAnchorElement>, 'href' | 'role'> & {
  href: string;
  children?: ComponentChildren;
};

export function Link({ href, onClick, ...rest }: LinkProps) {
  const handle = (e: TargetedMouseEvent<HTMLAnchorElement>) => {
    if (typeof onClick === 'function') onClick(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={handle} {...rest} />;
}
