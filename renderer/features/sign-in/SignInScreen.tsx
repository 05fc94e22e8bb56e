import { useState, type FormEvent } from 'react';
import { useApp } from '../../app/store-context';

export function SignInScreen() {
  const busy = useApp((s) => s.sessionBusy);
  const error = useApp((s) => s.sessionError);
  const lastServer = useApp((s) => (s.session && !s.session.signedIn ? s.session.serverUrl : null));
  const signInLocal = useApp((s) => s.signInLocal);
  const signIn = useApp((s) => s.signIn);
  const [serverUrl, setServerUrl] = useState(lastServer ?? '');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void signIn(serverUrl.trim(), email.trim(), password);
  };

  return (
    <main className="sign-in" id="main">
      <h1>CredentialMate Uploader</h1>
      <p className="lead">Upload provider credentials in bulk and review what was read from them.</p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="sign-in-options">
        <section className="card" aria-labelledby="local-heading">
          <h2 id="local-heading">Work on this computer</h2>
          <p>Runs the bundled server here. Nothing leaves this machine.</p>
          <button type="button" className="primary" disabled={busy} onClick={() => void signInLocal()}>
            {busy ? 'Starting…' : 'Work locally'}
          </button>
        </section>
        <section className="card" aria-labelledby="remote-heading">
          <h2 id="remote-heading">Connect to your organisation</h2>
          <form onSubmit={submit} className="form">
            <label>
              Server URL
              <input
                type="url"
                required
                placeholder="https://credentials.example.org"
                value={serverUrl}
                onChange={(e) => setServerUrl(e.target.value)}
              />
            </label>
            <label>
              Email
              <input
                type="email"
                required
                autoComplete="username"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
            </label>
            <label>
              Password
              <input
                type="password"
                required
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </label>
            <button type="submit" disabled={busy}>
              Sign in
            </button>
          </form>
        </section>
      </div>
    </main>
  );
}
