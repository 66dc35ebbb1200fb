// Whether we are signed in, and what happens when that ends: every 401
// and every socket closed for revoked credentials lands here and sends
// the user to the sign-in page with a message.

import { createSignal } from 'solid-js';

import { api } from '../lib/bindings';
import { navigate, route } from '../lib/router';
import { transport } from '../lib/transport';

export type SessionState = 'checking' | 'signed-in' | 'signed-out';

/** Set while we believe a session cookie exists. The cookie itself is
 * HttpOnly, so this hint is what decides whether a 401 means "expired"
 * or merely "not signed in yet". */
const HINT = 'mosaic.signed-in';

const [state, setState] = createSignal<SessionState>('checking');
const [username, setUsername] = createSignal('');
const [notice, setNotice] = createSignal<string | null>(null);

export { state as sessionState, username, notice };

export const EXPIRED_MESSAGE = 'Your session has ended. Please sign in again.';

function signedOut(message: string | null): void {
  globalThis.localStorage.removeItem(HINT);
  transport.live.stop();
  setState('signed-out');
  setNotice(message);
  if (route() !== '/login') navigate('/login', true);
}

transport.onUnauthorized(() => {
  if (state() === 'signed-out') return;
  signedOut(EXPIRED_MESSAGE);
});

async function enter(): Promise<void> {
  const web = await api.web();
  setUsername(web.username);
  globalThis.localStorage.setItem(HINT, '1');
  setNotice(null);
  setState('signed-in');
  transport.live.start();
}

/** At start-up: resume a session we believe in, otherwise sign in. */
export async function restoreSession(): Promise<void> {
  if (globalThis.localStorage.getItem(HINT) !== '1') {
    signedOut(null);
    return;
  }
  try {
    await enter();
    if (route() === '/login') navigate('/', true);
  } catch {
    // A 401 already moved us to sign-in with the expiry message.
    if (state() === 'checking') signedOut(null);
  }
}

export async function signIn(name: string, password: string): Promise<void> {
  await api.login({ username: name, password });
  await enter();
  navigate('/', true);
}

export async function signOut(): Promise<void> {
  try {
    await api.logout();
  } finally {
    signedOut('You have signed out.');
  }
}
