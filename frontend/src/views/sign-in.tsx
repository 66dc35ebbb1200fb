// The sign-in page: user name and password for a cookie session. Shows why
// the user is here (session ended, signed out) and the server's refusal.

import { createSignal, Show, type JSX } from 'solid-js';

import { ApiError } from '../lib/transport';
import { notice, signIn } from '../state/session';
import { ThemeToggle } from './theme-toggle';

export function SignIn(): JSX.Element {
  const [name, setName] = createSignal('admin');
  const [password, setPassword] = createSignal('');
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(name().trim(), password());
    } catch (e) {
      setError(describe(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in">
      <div class="sign-in-theme">
        <ThemeToggle />
      </div>
      <form
        class="card sign-in-card"
        onSubmit={(e) => void submit(e)}
        aria-labelledby="sign-in-title"
      >
        <div class="brand brand-large">
          <span class="brand-mark" aria-hidden="true" />
          <h1 id="sign-in-title">Mosaic</h1>
        </div>
        <Show when={notice()}>
          {(text) => (
            <p class="notice" role="status">
              {text()}
            </p>
          )}
        </Show>
        <label class="field">
          <span>User name</span>
          <input
            class="input"
            name="username"
            autocomplete="username"
            required
            value={name()}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span>Password</span>
          <input
            class="input"
            name="password"
            type="password"
            autocomplete="current-password"
            required
            value={password()}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        <Show when={error()}>
          {(text) => (
            <p class="form-error" role="alert">
              {text()}
            </p>
          )}
        </Show>
        <button class="button primary" type="submit" disabled={busy()}>
          {busy() ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

function describe(e: unknown): string {
  if (!(e instanceof ApiError)) return 'sign-in failed';
  if (e.retryAfter) return `${e.message} (try again in ${e.retryAfter} s)`;
  return e.message;
}
