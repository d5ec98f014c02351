// Log in with an API key: checked against /api/v1/whoami, then kept in this tab's session storage only.
import { useState } from 'preact/hooks';
import { api, session } from '../api.js';
import { ErrorBox } from '../components.jsx';

export function Login({ onLogin, theme, toggleTheme }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const me = await api('GET', '/api/v1/whoami', undefined, { key: key.trim() });
      session.set(key.trim());
      onLogin(me);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="login">
      <form class="card" onSubmit={submit}>
        <h1><span class="logo" aria-hidden="true" />maas console</h1>
        <p class="muted">Log in with an API key. It stays in this tab (session storage) and goes to maasd only in the
          Authorization header.</p>
        <label class="field">
          <span class="field-label">API key</span>
          <input type="password" name="key" autocomplete="off" spellcheck={false} required value={key}
                 placeholder="maas_…" onInput={(e) => setKey(e.target.value)} autoFocus />
        </label>
        <ErrorBox error={error} title="That key did not work" />
        <div class="row">
          <button type="submit" class="primary" disabled={busy || !key.trim()}>{busy ? 'Checking…' : 'Log in'}</button>
          <button type="button" class="ghost" onClick={toggleTheme}>Theme: {theme}</button>
        </div>
        <p class="muted small">The first admin key is in <code>&lt;data-dir&gt;/admin.key</code>; <code>make demo</code> prints it.</p>
      </form>
    </div>
  );
}
