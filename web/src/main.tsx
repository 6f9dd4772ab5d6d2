import { render } from 'preact';
import { App } from './app';
import { initI18n } from './i18n';
import { refreshSession } from './state/session';
import './styles.css';

async function start() {
  const session = refreshSession();
  await initI18n();
  render(<App />, document.getElementById('app')!);
  await session;
}

void start();
