// The shell: login, the navigation a role may use, the theme, and the page for the current route.
import { useEffect, useState } from 'preact/hooks';
import { api, can, session } from './api.js';
import { Link, navigate, useRoute } from './router.jsx';
import { Login } from './pages/login.jsx';
import { Overview } from './pages/overview.jsx';
import { Models } from './pages/models.jsx';
import { Debugger } from './pages/debugger.jsx';
import { Chat } from './pages/chat.jsx';
import { Services } from './pages/services.jsx';
import { Logs } from './pages/logs.jsx';
import { Alerts } from './pages/alerts.jsx';
import { Keys } from './pages/keys.jsx';
import { Diagnostics } from './pages/diagnostics.jsx';
import { Datasets } from './pages/datasets.jsx';
import { Jobs } from './pages/jobs.jsx';

// Each page, who may see it, and its component.
const kPages = [
  { path: '', label: 'Overview', need: can.read, page: Overview },
  { path: 'models', label: 'Models', need: can.read, page: Models },
  { path: 'debugger', label: 'Debugger', need: can.invoke, page: Debugger },
  { path: 'chat', label: 'Chat', need: can.invoke, page: Chat },
  { path: 'services', label: 'Services', need: can.read, page: Services },
  { path: 'datasets', label: 'Datasets', need: can.read, page: Datasets },
  { path: 'jobs', label: 'Jobs', need: can.read, page: Jobs },
  { path: 'logs', label: 'Logs', need: can.read, page: Logs },
  { path: 'alerts', label: 'Alerts', need: can.read, page: Alerts },
  { path: 'diagnostics', label: 'Diagnostics', need: can.read, page: Diagnostics },
  { path: 'keys', label: 'Keys', need: can.admin, page: Keys },
];

const kTheme = 'maas.theme';

function useTheme() {
  const [theme, setTheme] = useState(localStorage.getItem(kTheme) || 'auto');
  useEffect(() => {
    const dark = theme === 'dark' || (theme === 'auto' && matchMedia('(prefers-color-scheme: dark)').matches);
    document.documentElement.dataset.theme = dark ? 'dark' : 'light';
    localStorage.setItem(kTheme, theme);
  }, [theme]);
  const next = { auto: 'dark', dark: 'light', light: 'auto' };
  return [theme, () => setTheme(next[theme])];
}

export function App() {
  const [me, setMe] = useState(null);
  const [checking, setChecking] = useState(!!session.key());
  const [theme, toggleTheme] = useTheme();
  const route = useRoute();
  const [menu, setMenu] = useState(false);

  useEffect(() => {
    if (!session.key()) return;
    api('GET', '/api/v1/whoami').then(setMe, () => session.clear()).finally(() => setChecking(false));
  }, []);
  useEffect(() => setMenu(false), [route.join('/')]);

  const logout = () => {
    session.clear();
    setMe(null);
    navigate('');
  };
  if (checking) return <div class="loading">Checking your key…</div>;
  if (!me) return <Login onLogin={setMe} theme={theme} toggleTheme={toggleTheme} />;

  const pages = kPages.filter((p) => p.need(me.role));
  const current = kPages.find((p) => p.path === (route[0] || '')) || null;
  const allowed = current && current.need(me.role);
  const fallback = pages[0];
  // The start page of a key that may not read (an invoker) is the first page it may use.
  const Page = allowed ? current.page : route.length === 0 && fallback ? fallback.page : null;
  return (
    <div class="shell">
      <a class="skip" href="#main">Skip to content</a>
      <nav class={'nav' + (menu ? ' open' : '')} aria-label="Pages">
        <div class="brand">
          <span class="logo" aria-hidden="true" />maas
          <button class="menu-toggle ghost" aria-expanded={menu} aria-label="Menu" onClick={() => setMenu(!menu)}>☰</button>
        </div>
        <ul>
          {pages.map((p) => (
            <li><Link to={p.path} aria-current={current === p ? 'page' : undefined}>{p.label}</Link></li>
          ))}
        </ul>
        <div class="whoami">
          <div title={me.key_id}><strong>{me.name}</strong></div>
          <div class="muted">role: <span data-testid="role">{me.role}</span></div>
          <div class="row">
            <button class="ghost" onClick={toggleTheme} title="Theme">Theme: {theme}</button>
            <button class="ghost" onClick={logout}>Log out</button>
          </div>
        </div>
      </nav>
      <main id="main" tabIndex={-1}>
        {Page ? <Page route={route} me={me} /> : (
          <div class="card">
            <h1>{current ? 'Not allowed' : 'Not found'}</h1>
            <p>{current ? `A ${me.role} key cannot use this page.` : 'There is no such page.'}</p>
            {fallback && <Link to={fallback.path}>Go to {fallback.label}</Link>}
          </div>
        )}
      </main>
    </div>
  );
}
