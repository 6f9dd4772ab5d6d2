// The shell: skip link, top bar (brand, search, navigation, language), the
// current page, and a footer. Pages come from the route table in routes.ts.
import type { ComponentType } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Header } from './components/Header';
import { ProblemAlert } from './components/ProblemAlert';
import { lang, t } from './i18n';
import { location, matchPath, navigate, navigations } from './router';
import { notFound, routes, type RouteDef } from './routes';
import { sessionKnown, user } from './state/session';

type Loaded = ComponentType<any>;
const loadedPages = new Map<RouteDef, Loaded>();

function resolve(path: string): { route: RouteDef; params: Record<string, string> } {
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (params) return { route, params };
  }
  return { route: notFound, params: {} };
}

function usePage(route: RouteDef): { Page: Loaded | null; error: unknown; retry: () => void } {
  const [, setTick] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const Page = route.page ?? loadedPages.get(route) ?? null;
  const load = () => {
    if (Page || !route.load) return;
    setError(null);
    route
      .load()
      .then((m) => {
        loadedPages.set(route, m.default);
        setTick((n) => n + 1);
      })
      .catch(setError);
  };
  useEffect(load, [route]);
  return { Page, error, retry: load };
}

function Loading() {
  return (
    <p class="loading" role="status">
      {t('common.loading')}
    </p>
  );
}

export function App() {
  const { path, query } = location.value;
  const { route, params } = resolve(path);
  const { Page, error, retry } = usePage(route);
  const main = useRef<HTMLElement>(null);
  const mustLogin = route.requiresLogin && sessionKnown.value && !user.value;

  useEffect(() => {
    document.title = `${t(route.titleKey)} · ${t('app.name')}`;
  }, [route, lang.value]);

  useEffect(() => {
    // The page may have moved on (e.g. home after logging out) since this render.
    if (!mustLogin || location.peek().path !== path) return;
    navigate(`/login?next=${encodeURIComponent(path + window.location.search)}`, { replace: true });
  }, [mustLogin, path]);

  // After moving to another page, put keyboard and screen-reader focus on it.
  useEffect(() => {
    if (navigations.value > 0) main.current?.focus({ preventScroll: true });
  }, [navigations.value]);

  let content;
  if (error) {
    content = (
      <div class="page">
        <ProblemAlert error={error} />
        <button type="button" class="button" onClick={retry}>
          {t('common.retry')}
        </button>
      </div>
    );
  } else if (!Page || (route.requiresLogin && !user.value)) {
    content = <Loading />;
  } else {
    content = <Page params={params} query={query} {...route.props} />;
  }

  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <Header />
      <main id="main" ref={main} tabIndex={-1}>
        {content}
      </main>
      <footer class="footer">
        <p>{t('footer.text')}</p>
      </footer>
    </div>
  );
}
